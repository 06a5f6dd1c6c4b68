package dev.keel.store.sql;

import dev.keel.core.Visibility;
import dev.keel.store.Database;
import dev.keel.store.TestDatabases;
import dev.keel.store.TestDatabases.Kind;
import dev.keel.store.TestDatabases.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The visibility condition keeps exactly the visible rows on both databases, bound one by one
 * for a few ids and as one JSON array for many, beyond SQLite's limit on parameters.
 */
class VisibleRowsTest {
    private static final int ROWS = 1_000;
    /** Names a JSON array must carry intact. */
    private static final List<String> AWKWARD = List.of("quote\"d", "back\\slash", "new\nline", "tab\tbed", "ünï-çødé",
            "emoji-\uD83D\uDE00", "it's", "[1,2]");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void a_few_ids_keep_exactly_their_rows(Kind kind) {
        try (TestDatabase test = TestDatabases.open(kind, dir)) {
            Database db = filled(test.database());
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.Only(Set.of("3", "5", "999", "5000"))))
                    .containsExactlyInAnyOrder(3L, 5L, 999L);
            assertThat(ids(db, "name", VisibleRows.Ids.TEXT, new Visibility.Only(Set.of("n-3", "quote\"d", "nobody"))))
                    .containsExactlyInAnyOrder(3L, (long) ROWS);
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.AllExcept(Set.of("1", "2"))))
                    .hasSize(ROWS - 1 + AWKWARD.size() - 2).doesNotContain(1L, 2L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void more_ids_than_sqlite_binds_travel_as_one_array(Kind kind) {
        try (TestDatabase test = TestDatabases.open(kind, dir)) {
            Database db = filled(test.database());
            int many = test.database().dialect().maxBindParameters() + 1;
            Set<String> ids = new HashSet<>();
            Set<String> names = new HashSet<>(AWKWARD);
            Set<Long> expected = new TreeSet<>();
            for (int i = 0; i < many; i++) {
                // every third existing row, and a crowd of ids no row has
                long id = i < ROWS ? i : ROWS * 10L + i;
                if (i >= ROWS || i % 3 == 0) {
                    ids.add(Long.toString(id));
                    names.add("n-" + id);
                    if (i < ROWS && i > 0) {
                        expected.add(id);
                    }
                }
            }
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.Only(ids))).containsExactlyElementsOf(expected);
            Set<Long> byName = new TreeSet<>(expected);
            for (int i = 0; i < AWKWARD.size(); i++) {
                byName.add((long) ROWS + i);
            }
            assertThat(ids(db, "name", VisibleRows.Ids.TEXT, new Visibility.Only(names))).containsExactlyElementsOf(byName);
            List<Long> rest = ids(db, "name", VisibleRows.Ids.TEXT, new Visibility.AllExcept(names));
            assertThat(rest).hasSize(ROWS - 1 - expected.size()).doesNotContainAnyElementsOf(byName);
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.AllExcept(ids)))
                    .hasSize(ROWS + AWKWARD.size() - 1 - expected.size());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nothing_granted_is_nothing_and_nothing_withheld_is_everything(Kind kind) {
        try (TestDatabase test = TestDatabases.open(kind, dir)) {
            Database db = filled(test.database());
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.Only(Set.of()))).isEmpty();
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.Only(Set.of("not-a-number")))).isEmpty();
            assertThat(ids(db, "id", VisibleRows.Ids.INTEGER, new Visibility.AllExcept(Set.of("not-a-number"))))
                    .hasSize(ROWS + AWKWARD.size() - 1);
            assertThat(ids(db, "name", VisibleRows.Ids.TEXT, Visibility.ALL)).hasSize(ROWS + AWKWARD.size() - 1);
        }
    }

    /** Rows 1..ROWS-1 named n-<id>, then the awkward names from ROWS on. */
    private static Database filled(Database db) {
        db.inTransaction(c -> {
            try (Statement create = c.createStatement()) {
                create.execute("CREATE TABLE things (id BIGINT PRIMARY KEY, name VARCHAR(300) NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO things (id, name) VALUES (?, ?)")) {
                for (int i = 1; i < ROWS; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "n-" + i);
                    insert.addBatch();
                }
                for (int i = 0; i < AWKWARD.size(); i++) {
                    insert.setLong(1, ROWS + i);
                    insert.setString(2, AWKWARD.get(i));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
        return db;
    }

    private static List<Long> ids(Database db, String column, VisibleRows.Ids kind, Visibility visibility) {
        SqlText sql = new SqlText().append("SELECT id FROM things WHERE ")
                .append(VisibleRows.condition(db.dialect(), column, kind, visibility)).append(" ORDER BY id");
        return db.read(c -> {
            List<Long> found = new java.util.ArrayList<>();
            try (PreparedStatement select = sql.prepare(c); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getLong(1));
                }
            }
            return found;
        });
    }
}
