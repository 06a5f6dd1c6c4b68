package dev.keel.serving.endpoint;

import dev.keel.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The endpoint service on SQLite; a restart closes the file's pool and opens the file again. */
class SqliteEndpointServiceTest extends EndpointServiceContract {
    private Path dir;
    private final Map<String, Database> open = new HashMap<>();

    @Override
    protected Database open(String name) {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("keel-serving-sqlite");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Database database = Database.sqlite(dir.resolve(name + ".db"));
        open.put(name, database);
        return database;
    }

    @Override
    protected Database reopen(String name) {
        open.remove(name).close();
        return open(name);
    }

    @Override
    protected void closeAll() {
        open.values().forEach(Database::close);
        open.clear();
    }
}
