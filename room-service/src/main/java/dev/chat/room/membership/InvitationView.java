package dev.chat.room.membership;

import java.time.Instant;

/** An invitation as the API shows it. */
public record InvitationView(String roomId, String userId, String invitedBy, Instant invitedAt) {

	static InvitationView of(Invitation invitation) {
		return new InvitationView(invitation.roomId(), invitation.userId(), invitation.invitedBy(),
				invitation.invitedAt());
	}

}
