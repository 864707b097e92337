package dev.chat.common.docs;

import java.util.List;
import java.util.regex.Pattern;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifierParametersTests {

	@Test
	void roomAndMessageIdsInPathsGetTheirShapeOtherParametersKeepTheirs() {
		Parameter room = new Parameter().in("path").name("roomId").schema(new StringSchema());
		Parameter message = new Parameter().in("path").name("messageId").schema(new StringSchema());
		Parameter query = new Parameter().in("query").name("roomId").schema(new StringSchema());
		Operation operation = new Operation().parameters(List.of(room, message, query));
		OpenAPI openApi = new OpenAPI().paths(
				new Paths().addPathItem("/api/rooms/{roomId}/messages/{messageId}", new PathItem().patch(operation)));

		new IdentifierParameters().customise(openApi);

		String roomId = new ObjectId().toHexString();
		assertThat(Pattern.compile(room.getSchema().getPattern()).matcher(roomId).matches()).isTrue();
		assertThat(Pattern.compile(room.getSchema().getPattern()).matcher("not-a-room").matches()).isFalse();
		assertThat(Pattern.compile(message.getSchema().getPattern()).matcher(roomId + "-42").matches()).isTrue();
		assertThat(Pattern.compile(message.getSchema().getPattern()).matcher(roomId + "-042").matches()).isFalse();
		assertThat(room.getDescription()).contains("24 lowercase hex digits");
		assertThat(query.getSchema().getPattern()).isNull();
	}

}
