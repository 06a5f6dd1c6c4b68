package dev.keel.registry.sql;

import dev.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** The versions' saved model cards, as JSON without the manifest's facts (those are read from the manifest). */
public record JdbcModelCards(Connection connection) {

    /** A version's saved card: the stored JSON, who saved it and when. */
    public record StoredCard(String json, String updatedBy, long lastUpdatedTime) {
    }

    public Optional<StoredCard> find(long modelId, long version) throws SQLException {
        return Rows.first(connection, "SELECT card, updated_by, last_updated_time FROM model_cards "
                        + "WHERE model_id = ? AND version = ?",
                row -> new StoredCard(row.getString(1), row.getString(2), row.getLong(3)), modelId, version);
    }

    /** Saves the version's card, replacing the one saved before. */
    public void upsert(long modelId, long version, String json, String updatedBy, long now) throws SQLException {
        Rows.update(connection, "INSERT INTO model_cards (model_id, version, card, updated_by, last_updated_time) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (model_id, version) DO UPDATE SET card = excluded.card, "
                + "updated_by = excluded.updated_by, last_updated_time = excluded.last_updated_time",
                modelId, version, json, updatedBy, now);
    }
}
