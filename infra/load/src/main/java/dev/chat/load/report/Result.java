package dev.chat.load.report;

import java.util.List;

/**
 * What a scenario measured: a record serialised into the JSON report as it is, plus its tables
 * and charts for people.
 */
public interface Result {

	List<Table> tables();

	default List<Chart> charts() {
		return List.of();
	}

}
