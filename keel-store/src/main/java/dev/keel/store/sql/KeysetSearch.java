package dev.keel.store.sql;

import java.util.List;

/**
 * A search whose pages are read with keyset paging: a total order of sort keys, and the query
 * for the rows after a given row's keys. {@link KeysetPage} builds the query and reads the page.
 */
public interface KeysetSearch {

    /** The total order: the keys asked for, then a unique tie-breaker. */
    List<SortKey> sortKeys();

    /** The query for up to {@code limit} rows after the row whose keys are {@code after} (null: from the start). */
    SqlText select(List<Object> after, int limit);
}
