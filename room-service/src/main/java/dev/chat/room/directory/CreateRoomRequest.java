package dev.chat.room.directory;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.chat.room.room.RoomNames;

/**
 * The body of {@code POST /api/rooms}.
 *
 * @param name 1 to 80 characters, not only white space, without control characters, line
 * separators or bidirectional overrides; unique among rooms ignoring case; stored without
 * surrounding white space
 * @param description optional, up to 500 characters; line breaks and tabs allowed, other control
 * characters not
 * @param visibility {@code public} or {@code private}
 */
record CreateRoomRequest(
		@Schema(example = "general") @NotBlank @Size(max = RoomNames.MAX_LENGTH)
		@Pattern(regexp = RoomNames.ALLOWED, message = "must not contain control characters") String name,
		@Schema(example = "Anything goes") @Size(max = 500) @Pattern(regexp = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$",
				message = "must not contain control characters other than line breaks and tabs") String description,
		@Schema(example = "public", allowableValues = { "public", "private" }) @NotNull
		@Pattern(regexp = "^(public|private)$", message = "must be public or private") String visibility) {

}
