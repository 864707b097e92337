package dev.chat.gateway.socket;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * {@code subscribe} and {@code unsubscribe}. A subscribe is answered from what this node knows
 * when it can (the user's membership, the room's head and recent events: see
 * {@link RoomChannel}), so that opening a socket or recovering after a reconnect usually costs
 * no request to message-service; otherwise message-service is asked, with the user's token, and
 * its answer is remembered.
 *
 * <p>
 * Either way, live events for the room are held back while the events after {@code sinceSeq}
 * are replayed; then the held ones newer than the replay go out, and the subscription is live
 * (see {@link RoomSubscription}).
 */
@Component
class SubscribeHandler {

	private final Subscriptions subscriptions;

	private final Memberships memberships;

	private final MessageServiceClient messages;

	private final PresenceSignals presence;

	private final FanOutConsumer fanOut;

	private final FrameCodec codec;

	private final SocketReplies replies;

	SubscribeHandler(Subscriptions subscriptions, Memberships memberships, MessageServiceClient messages,
			PresenceSignals presence, FanOutConsumer fanOut, FrameCodec codec, SocketReplies replies) {
		this.subscriptions = subscriptions;
		this.memberships = memberships;
		this.messages = messages;
		this.presence = presence;
		this.fanOut = fanOut;
		this.codec = codec;
		this.replies = replies;
	}

	Mono<Void> subscribe(ClientSession session, ClientFrame.Subscribe subscribe) {
		String roomId = subscribe.roomId();
		Long sinceSeq = subscribe.sinceSeq();
		String problem = SendRules.roomIdProblem(roomId);
		if (problem == null && sinceSeq != null && sinceSeq < 0) {
			problem = "sinceSeq must not be negative";
		}
		if (problem != null) {
			return replies.protocolError(session, new ServerFrame.Error("invalid", problem, roomId));
		}
		if (!fanOut.positioned() || session.draining()) {
			// Confirmed now, the subscription could miss what is published before the fan-out is
			// positioned; on a node shutting down, it would be closed with 1012 before it is live.
			replies.unavailable(session, roomId);
			return Mono.empty();
		}
		RoomSubscription subscription = subscriptions.subscribe(session, roomId);
		RoomChannel room = subscriptions.channel(roomId);
		session.addSubscribed(roomId);
		if (sinceSeq != null) {
			subscription.knownUpTo(sinceSeq);
		}
		if (memberships.isMember(roomId, session.userId()) && fromMemory(session, subscription, room, sinceSeq)) {
			return Mono.empty();
		}
		Mono<Void> start = sinceSeq == null ? messages.lastSeq(roomId, session.userId(), session.token()).doOnNext(lastSeq -> {
			memberships.confirmed(roomId, session.userId());
			room.learned(lastSeq);
			confirmed(session, roomId, lastSeq);
			subscription.knownUpTo(lastSeq);
		}).then() : replay(session, subscription, room, sinceSeq, true);
		return start.doOnSuccess(done -> {
			session.frameAccepted();
			subscription.goLive();
		})
			// The socket closed while message-service was being asked: let go of what was held back.
			.doOnCancel(subscription::discard)
			.onErrorResume(ex -> {
			subscription.discard();
			room.remove(subscription);
			session.removeSubscribed(roomId);
			return replies.roomError(session, ex, roomId);
		});
	}

	/** Confirms and replays from this node's memory; false when it does not know enough. */
	private boolean fromMemory(ClientSession session, RoomSubscription subscription, RoomChannel room, Long sinceSeq) {
		if (sinceSeq == null) {
			long head = room.knownHead();
			if (head < 0) {
				return false;
			}
			confirmed(session, room.roomId(), head);
			subscription.knownUpTo(head);
		}
		else {
			RoomChannel.Replay replay = room.replayFromMemory(sinceSeq);
			if (replay == null) {
				return false;
			}
			confirmed(session, room.roomId(), replay.head());
			for (RecentEvents.Sequenced event : replay.events()) {
				subscription.replayed(event.seq(), event.frame());
				event.frame().release();
			}
		}
		session.frameAccepted();
		subscription.goLive();
		return true;
	}

	private Mono<Void> replay(ClientSession session, RoomSubscription subscription, RoomChannel room, long afterSeq,
			boolean first) {
		String roomId = subscription.roomId();
		return messages.events(roomId, afterSeq, session.token()).flatMap(page -> {
			if (first) {
				memberships.confirmed(roomId, session.userId());
				room.learned(page.lastSeq());
				confirmed(session, roomId, page.lastSeq());
			}
			long last = afterSeq;
			for (MessageServiceClient.StoredEvent event : page.events()) {
				EncodedFrame frame = codec.encode(event.frame());
				subscription.replayed(event.seq(), frame);
				frame.release();
				last = Math.max(last, event.seq());
			}
			return page.hasMore() && last > afterSeq ? replay(session, subscription, room, last, false) : Mono.empty();
		});
	}

	private void confirmed(ClientSession session, String roomId, long lastSeq) {
		replies.reply(session, new ServerFrame.Subscribed(roomId, lastSeq));
		presence.subscribed(session, roomId);
	}

	Mono<Void> unsubscribe(ClientSession session, String roomId) {
		String problem = SendRules.roomIdProblem(roomId);
		if (problem != null) {
			return replies.protocolError(session, new ServerFrame.Error("invalid", problem, roomId));
		}
		session.frameAccepted();
		subscriptions.unsubscribe(session, roomId);
		if (session.removeSubscribed(roomId)) {
			presence.unsubscribed(session, roomId);
		}
		return Mono.empty();
	}

}
