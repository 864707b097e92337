// One-shot initialisation of the compose stack's MongoDB replica set (service mongo-init in
// docker-compose.yml), run by mongosh against mongo-1 as the root user. Idempotent: on a set that
// is already initiated it only checks for a PRIMARY and the application user.
//
// 1. rs.initiate with the three members (mongo-1 preferred as primary), unless already done;
// 2. waits until a member is PRIMARY (up to 120 s), and fails otherwise, so that no service
//    starts against a set that cannot take writes;
// 3. creates the user the services connect as (MONGO_CHAT_USERNAME / MONGO_CHAT_PASSWORD), with
//    readWrite on each service's own database and nothing else.

const databases = ['chat_auth', 'chat_rooms', 'chat_messages', 'chat_presence', 'chat_gateway'];

function initiated() {
  try {
    rs.status();
    return true;
  } catch (e) {
    if (e.codeName === 'NotYetInitialized' || e.code === 94) {
      return false;
    }
    throw e;
  }
}

if (!initiated()) {
  print('initiating replica set rs0');
  rs.initiate({
    _id: 'rs0',
    members: [
      { _id: 0, host: 'mongo-1:27017', priority: 2 },
      { _id: 1, host: 'mongo-2:27017', priority: 1 },
      { _id: 2, host: 'mongo-3:27017', priority: 1 },
    ],
  });
}

const deadline = Date.now() + 120 * 1000;
let primary = null;
while (Date.now() < deadline) {
  const members = rs.status().members || [];
  const found = members.find((m) => m.stateStr === 'PRIMARY');
  if (found) {
    primary = found.name;
    break;
  }
  sleep(1000);
}
if (!primary) {
  print('no PRIMARY in replica set rs0 within 120 s: ' + tojson(rs.status().members));
  quit(1);
}
print('replica set rs0 has PRIMARY ' + primary);

// Writes go to the primary: connect to it (mongo-1 may not be it after a failover).
const credentials = encodeURIComponent(process.env.MONGO_INITDB_ROOT_USERNAME) + ':'
  + encodeURIComponent(process.env.MONGO_INITDB_ROOT_PASSWORD);
const admin = new Mongo('mongodb://' + credentials + '@' + primary + '/admin?directConnection=true&authSource=admin')
  .getDB('admin');
const user = process.env.MONGO_CHAT_USERNAME;
const roles = databases.map((db) => ({ role: 'readWrite', db }));
if (admin.getUser(user) === null) {
  admin.createUser({ user, pwd: process.env.MONGO_CHAT_PASSWORD, roles });
  print('created user ' + user);
} else {
  admin.updateUser(user, { pwd: process.env.MONGO_CHAT_PASSWORD, roles });
  print('updated user ' + user);
}
