#!/bin/bash
# One-shot configuration of the compose stack's Keycloak (service keycloak-config in
# docker-compose.yml), after the chat realm was imported from infra/keycloak/chat-realm.json.
# That file is the local stack's: its chat-auth-service secret is public. Here it is replaced by
# CHAT_AUTH_CLIENT_SECRET (the value auth-service is given), and the public entry
# (CHAT_PUBLIC_URL, nginx) is added to the redirect URIs and web origins of chat-web.
# Idempotent: run on every start.
set -euo pipefail

kcadm() {
  /opt/keycloak/bin/kcadm.sh "$@" --config /tmp/kcadm.config
}

kcadm config credentials --server http://keycloak:8180 --realm master \
  --user "$KC_BOOTSTRAP_ADMIN_USERNAME" --password "$KC_BOOTSTRAP_ADMIN_PASSWORD"

client_id() {
  kcadm get clients -r chat -q "clientId=$1" --fields id --format csv --noquotes | head -n 1
}

auth_client=$(client_id chat-auth-service)
web_client=$(client_id chat-web)
if [ -z "$auth_client" ] || [ -z "$web_client" ]; then
  echo "realm chat lacks the client chat-auth-service or chat-web: was infra/keycloak/chat-realm.json imported?" >&2
  exit 1
fi

kcadm update "clients/$auth_client" -r chat -s "secret=$CHAT_AUTH_CLIENT_SECRET"
kcadm update "clients/$web_client" -r chat \
  -s "redirectUris=[\"$CHAT_PUBLIC_URL/*\"]" -s "webOrigins=[\"$CHAT_PUBLIC_URL\"]"
echo "realm chat: chat-auth-service secret set, chat-web redirects to $CHAT_PUBLIC_URL"
