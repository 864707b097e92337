package dev.chat.gateway.socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MembershipsTests {

	@Test
	void aConfirmedMembershipIsKnownUntilTheUserLeaves() {
		Memberships memberships = new Memberships();
		assertThat(memberships.isMember("room", "alice")).isFalse();
		memberships.confirmed("room", "alice");
		assertThat(memberships.isMember("room", "alice")).isTrue();
		assertThat(memberships.isMember("room", "bob")).isFalse();
		memberships.left("room", "alice");
		assertThat(memberships.isMember("room", "alice")).isFalse();
	}

	@Test
	void anAnswerArrivingAfterALeaveIsNotTaken() {
		Memberships memberships = new Memberships();
		memberships.left("room", "alice");
		memberships.confirmed("room", "alice");
		assertThat(memberships.isMember("room", "alice")).isFalse();
	}

}
