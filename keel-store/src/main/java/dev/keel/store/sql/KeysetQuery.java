package dev.keel.store.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link KeysetSearch} assembled clause by clause, as every search is: a subclass's
 * constructor adds its joins to the FROM, one condition per filter clause and the sort keys,
 * tie-breaker last; the query for a page is then the same {@link KeysetPage#select} for all.
 */
public abstract class KeysetQuery implements KeysetSearch {
    private final String columns;
    private final SqlText from;
    private final List<SqlText> where = new ArrayList<>();
    private final List<SortKey> sortKeys = new ArrayList<>();

    /** Selects {@code columns} from {@code from} ({@code " FROM runs r"}), joins and conditions to follow. */
    protected KeysetQuery(String columns, String from) {
        this.columns = columns;
        this.from = new SqlText().append(from);
    }

    /** The FROM clause, for a join to be appended to. */
    protected final SqlText from() {
        return from;
    }

    /** One more condition every row must meet; conditions are joined with AND. */
    protected final void where(SqlText condition) {
        where.add(condition);
    }

    protected final void where(String condition) {
        where.add(new SqlText().append(condition));
    }

    /** The next key of the total order. */
    protected final void orderBy(SortKey key) {
        sortKeys.add(key);
    }

    /** Whether the order has a key on {@code expression} already. */
    protected final boolean ordersBy(String expression) {
        return sortKeys.stream().anyMatch(key -> key.expression().equals(expression));
    }

    @Override
    public final List<SortKey> sortKeys() {
        return Collections.unmodifiableList(sortKeys);
    }

    @Override
    public final SqlText select(List<Object> after, int limit) {
        return KeysetPage.select(columns, sortKeys, from, where, after, limit);
    }
}
