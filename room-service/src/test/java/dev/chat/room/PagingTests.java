package dev.chat.room;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagingTests {

	@Test
	void limitDefaultsToTwentyAndTakesOneToAHundred() {
		assertThat(Paging.limit(null)).isEqualTo(20);
		assertThat(Paging.limit("")).isEqualTo(20);
		assertThat(Paging.limit("1")).isEqualTo(1);
		assertThat(Paging.limit("100")).isEqualTo(100);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "101", "-5", "2.5", "ten", "99999999999" })
	void anyOtherLimitIsRefusedNamingIt(String limit) {
		assertThatThrownBy(() -> Paging.limit(limit)).isInstanceOfSatisfying(ErrorResponseException.class,
				ex -> assertThat(ex.getBody().getProperties().get("errors").toString()).contains("limit"));
	}

	@Test
	void aPageWithMoreLeftCarriesACursorToTheKeyOfItsLastItem() {
		Paging.Page<String> page = Paging.page("rooms", List.of("a", "b", "c"), 2, item -> item);

		assertThat(page.items()).containsExactly("a", "b");
		assertThat(Paging.after("rooms", page.nextCursor(), key -> true)).isEqualTo("b");
	}

	@Test
	void theLastPageHasNoCursor() {
		Paging.Page<String> page = Paging.page("rooms", List.of("a", "b"), 2, item -> item);

		assertThat(page.items()).containsExactly("a", "b");
		assertThat(page.nextCursor()).isNull();
	}

	@Test
	void aCursorOfAnotherListingOrWithAnInvalidKeyIsRefused() {
		String membersCursor = Paging.page("members", List.of("a", "b"), 1, item -> item).nextCursor();

		assertThatThrownBy(() -> Paging.after("rooms", membersCursor, key -> true))
			.isInstanceOf(ErrorResponseException.class);
		assertThatThrownBy(() -> Paging.after("members", membersCursor, key -> false))
			.isInstanceOf(ErrorResponseException.class);
		assertThatThrownBy(() -> Paging.after("rooms", "%%%", key -> true)).isInstanceOf(ErrorResponseException.class);
		assertThat(Paging.after("rooms", null, key -> true)).isNull();
	}

}
