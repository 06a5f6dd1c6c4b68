package dev.keel.tracking.sql;

import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.SortKey;
import dev.keel.core.KeelException;

import java.util.List;

/**
 * The "rows after this one" predicate of keyset paging over a list of sort keys with mixed
 * directions: {@code k1 > v1 OR (k1 = v1 AND k2 < v2) OR …}. Unlike an offset it stays correct
 * while rows are added, and the database never counts past rows already returned.
 */
final class Keyset {
    private Keyset() {
    }

    static SqlText after(List<SortKey> keys, List<Object> values) {
        if (values.size() != keys.size()) {
            throw KeelException.invalid("'page_token' does not belong to this search");
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).accepts(values.get(i))) {
                throw KeelException.invalid("'page_token' does not belong to this search");
            }
        }
        SqlText sql = new SqlText().append("(");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append("(");
            for (int j = 0; j < i; j++) {
                sql.append(keys.get(j).expression()).append(" = ").bind(values.get(j)).append(" AND ");
            }
            SortKey key = keys.get(i);
            sql.append(key.expression()).append(key.ascending() ? " > " : " < ").bind(values.get(i)).append(")");
        }
        return sql.append(")");
    }
}
