package dev.chat.auth.profile;

/**
 * What any signed-in user may see of another: no email, no dates.
 *
 * @param id the user id
 * @param username the login name
 * @param displayName the name to show
 */
record PublicUserView(String id, String username, String displayName) {

	static PublicUserView of(Profile profile) {
		return new PublicUserView(profile.id(), profile.username(), profile.displayName());
	}

}
