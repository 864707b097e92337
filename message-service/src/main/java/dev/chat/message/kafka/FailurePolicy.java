package dev.chat.message.kafka;

import java.util.concurrent.TimeoutException;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import org.apache.kafka.common.errors.RetriableException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells failures of the store or the broker being unreachable ("transient": retried for a long
 * time, since giving up would drop acknowledged messages into the dead-letter topic) from
 * failures of the record itself (retried a few times, then dead-lettered).
 */
final class FailurePolicy {

	static boolean isTransient(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
			if (cause instanceof MongoSocketException || cause instanceof MongoTimeoutException
					|| cause instanceof MongoNotPrimaryException || cause instanceof MongoNodeIsRecoveringException
					|| cause instanceof MongoConnectionPoolClearedException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessException || cause instanceof RetriableException
					|| cause instanceof TimeoutException) {
				return true;
			}
		}
		return false;
	}

	private FailurePolicy() {
	}

}
