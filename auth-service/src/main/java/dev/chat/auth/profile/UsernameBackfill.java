package dev.chat.auth.profile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the {@link UsernameEntry} of every profile that lacks its own, once per start, in the
 * background: profiles stored before usernames were indexed, or whose entry failed to be written
 * (so that the name's entry still points at the stale profile it was taken from).
 * Two full scans, off any request's path; instances that run it at once write the same entries.
 */
@Component
class UsernameBackfill {

	private static final Logger log = LoggerFactory.getLogger(UsernameBackfill.class);

	private final ProfileRepository profiles;

	UsernameBackfill(ProfileRepository profiles) {
		this.profiles = profiles;
	}

	@EventListener(ApplicationReadyEvent.class)
	void backfill() {
		run().subscribe(written -> {
			if (written > 0) {
				log.atInfo().addKeyValue("written", written).log("username entries backfilled");
			}
		}, error -> log.atWarn().setCause(error).log("username backfill failed; the next start tries again"));
	}

	Mono<Long> run() {
		return profiles.usernameEntries()
			.flatMap(holders -> profiles.findAll()
				.filter(profile -> !profile.id().equals(holders.get(profile.username())))
				.concatMap(profile -> profiles.saveUsernameEntry(profile).thenReturn(profile))
				.count());
	}

}
