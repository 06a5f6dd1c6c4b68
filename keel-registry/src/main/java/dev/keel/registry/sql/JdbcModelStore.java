package dev.keel.registry.sql;

import dev.keel.api.Tag;
import dev.keel.api.registry.Alias;
import dev.keel.api.registry.Lineage;
import dev.keel.api.registry.ManifestFile;
import dev.keel.api.registry.ModelManifest;
import dev.keel.api.registry.ModelVersion;
import dev.keel.api.registry.ModelVersionStatus;
import dev.keel.api.registry.RegisteredModel;
import dev.keel.api.registry.RiskTier;
import dev.keel.api.registry.Stage;
import dev.keel.api.registry.flavor.Flavor;
import dev.keel.api.registry.flavor.Signature;
import dev.keel.core.Page;
import dev.keel.store.sql.KeysetPage;
import dev.keel.store.sql.PageRequest;
import dev.keel.store.sql.Rows;
import dev.keel.store.sql.SqlText;
import dev.keel.store.sql.TagRows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The registry tables, read and written through one connection (and so inside whatever
 * transaction the caller holds). It knows SQL, not rules: the service decides what may change.
 */
public record JdbcModelStore(Connection connection) {

    static final String MODEL_COLUMNS = "m.model_id, m.name, m.description, m.owner, m.risk_tier, m.creation_time, "
            + "m.last_updated_time, m.last_version";
    static final String VERSION_COLUMNS = "v.model_id, m.name AS model_name, v.version, v.creation_time, "
            + "v.last_updated_time, v.user_id, v.current_stage, v.description, v.source, v.run_id, v.status, "
            + "v.status_message, v.run_link, v.flavor, v.model_file, v.signature, v.lineage";
    /** Rows per IN list; well under both databases' bind limits. */
    private static final int IN_CHUNK = 400;
    private static final TagRows MODEL_TAGS = new TagRows("registered_model_tags", "model_id");
    private static final TagRows VERSION_TAGS = new TagRows("model_version_tags", "model_id", "version");

    /** A registered model's own row, before its tags, aliases and latest versions are read. */
    public record ModelRow(long modelId, String name, String description, String owner, RiskTier riskTier,
                           long creationTime, long lastUpdatedTime, long lastVersion) {
    }

    /** A model version's own row, before its tags, aliases and files are read. */
    public record VersionRow(long modelId, String modelName, long version, long creationTime, long lastUpdatedTime,
                             String userId, Stage stage, String description, String source, String runId,
                             ModelVersionStatus status, String statusMessage, String runLink, Flavor flavor,
                             String modelFile, String signatureJson, String lineageJson) {
    }

    /** What a new version row holds; the manifest's files go to {@link #insertFiles}. */
    public record NewVersionRow(long modelId, long version, long now, String userId, String description,
                                String source, String runId, String runLink, Flavor flavor, String modelFile,
                                Signature signature, Lineage lineage) {
    }

    // registered models

    public Optional<ModelRow> modelByName(String name) throws SQLException {
        return Rows.first(connection, "SELECT " + MODEL_COLUMNS + " FROM registered_models m WHERE m.name = ?",
                JdbcModelStore::modelRow, name);
    }

    public long nextModelId() throws SQLException {
        return Rows.nextId(connection, "registered_models", "model_id", 1);
    }

    /** Inserts a model unless its id is taken; says whether it did (a taken name is a unique violation, run again). */
    public boolean insertModel(long modelId, String name, String description, String owner, RiskTier tier, long now)
            throws SQLException {
        return update("INSERT INTO registered_models (model_id, name, description, owner, risk_tier, creation_time, "
                + "last_updated_time, last_version) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (model_id) DO NOTHING",
                modelId, name, description, owner, tier.name(), now, now) == 1;
    }

    public void renameModel(long modelId, String name, long now) throws SQLException {
        update("UPDATE registered_models SET name = ?, last_updated_time = ? WHERE model_id = ?", name, now, modelId);
    }

    public void updateModel(long modelId, String description, RiskTier tier, long now) throws SQLException {
        update("UPDATE registered_models SET description = ?, risk_tier = ?, last_updated_time = ? WHERE model_id = ?",
                description, tier.name(), now, modelId);
    }

    public void touchModel(long modelId, long now) throws SQLException {
        update("UPDATE registered_models SET last_updated_time = ? WHERE model_id = ?", now, modelId);
    }

    /** Deletes the model; its versions, their files and tags, its aliases and tags go with it. */
    public void deleteModel(long modelId) throws SQLException {
        update("DELETE FROM registered_models WHERE model_id = ?", modelId);
    }

    public void upsertModelTags(long modelId, Collection<Tag> tags) throws SQLException {
        MODEL_TAGS.upsert(connection, List.of(modelId), tags, Tag::key, Tag::value);
    }

    public boolean deleteModelTag(long modelId, String key) throws SQLException {
        return MODEL_TAGS.delete(connection, List.of(modelId), key);
    }

    /** The models with their tags, aliases and the newest version in each stage. */
    public List<RegisteredModel> registeredModels(List<ModelRow> models) throws SQLException {
        if (models.isEmpty()) {
            return List.of();
        }
        List<Long> ids = models.stream().map(ModelRow::modelId).toList();
        Map<Long, List<Tag>> tags = new HashMap<>();
        Map<Long, List<Alias>> aliases = new HashMap<>();
        Map<Long, List<VersionRow>> latest = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            Rows.group(connection, new SqlText().append("SELECT model_id, tag_key, tag_value FROM registered_model_tags "
                    + "WHERE model_id IN (").bindAll(chunk).append(") ORDER BY tag_key"), rows -> rows.getLong(1),
                    rows -> new Tag(rows.getString(2), rows.getString(3)), tags);
            Rows.group(connection, new SqlText().append("SELECT model_id, alias, version FROM registered_model_aliases "
                    + "WHERE model_id IN (").bindAll(chunk).append(") ORDER BY alias"), rows -> rows.getLong(1),
                    rows -> new Alias(rows.getString(2), rows.getLong(3)), aliases);
            SqlText newest = new SqlText().append("SELECT " + VERSION_COLUMNS + " FROM model_versions v JOIN "
                    + "registered_models m ON m.model_id = v.model_id WHERE v.model_id IN (").bindAll(chunk)
                    .append(") AND v.version = (SELECT MAX(w.version) FROM model_versions w WHERE w.model_id = v.model_id "
                            + "AND w.current_stage = v.current_stage)");
            for (VersionRow row : versionRows(newest)) {
                latest.computeIfAbsent(row.modelId(), k -> new ArrayList<>()).add(row);
            }
        }
        List<VersionRow> allLatest = latest.values().stream().flatMap(List::stream).toList();
        List<ModelVersion> allFull = modelVersions(allLatest);
        Map<List<Long>, ModelVersion> full = new HashMap<>();
        for (int i = 0; i < allLatest.size(); i++) {
            full.put(List.of(allLatest.get(i).modelId(), allLatest.get(i).version()), allFull.get(i));
        }
        List<RegisteredModel> result = new ArrayList<>(models.size());
        for (ModelRow model : models) {
            List<ModelVersion> newest = latest.getOrDefault(model.modelId(), List.of()).stream()
                    .sorted(Comparator.comparing(VersionRow::stage))
                    .map(row -> full.get(List.of(row.modelId(), row.version())))
                    .toList();
            result.add(new RegisteredModel(model.name(), model.description(), model.owner(), model.riskTier(),
                    model.creationTime(), model.lastUpdatedTime(), tags.getOrDefault(model.modelId(), List.of()),
                    aliases.getOrDefault(model.modelId(), List.of()), newest));
        }
        return result;
    }

    public Page<RegisteredModel> searchModels(SearchQuery query, PageRequest request) throws SQLException {
        Page<ModelRow> page = KeysetPage.read(connection, query, request, JdbcModelStore::modelRow);
        return new Page<>(registeredModels(page.items()), page.nextPageToken());
    }

    // model versions

    /** Takes the next version number of the model (1, 2, 3…; never one a deleted version had). */
    public long allocateVersion(long modelId) throws SQLException {
        update("UPDATE registered_models SET last_version = last_version + 1 WHERE model_id = ?", modelId);
        return Rows.first(connection, "SELECT last_version FROM registered_models WHERE model_id = ?",
                rows -> rows.getLong(1), modelId).orElseThrow();
    }

    public void insertVersion(NewVersionRow row) throws SQLException {
        update("INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, user_id, current_stage, "
                + "description, source, run_id, status, status_message, run_link, flavor, model_file, signature, lineage) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)", row.modelId(), row.version(), row.now(),
                row.now(), row.userId(), Stage.NONE.wireName(), row.description(), row.source(), row.runId(),
                ModelVersionStatus.READY.name(), row.runLink(), row.flavor().name(), row.modelFile(),
                ManifestJson.write(row.signature()), ManifestJson.write(row.lineage()));
    }

    public void insertFiles(long modelId, long version, List<ManifestFile> files) throws SQLException {
        List<Integer> indexes = IntStream.range(0, files.size()).boxed().toList();
        Rows.batch(connection, "INSERT INTO model_version_files (model_id, version, file_index, path, sha256, size_bytes) "
                + "VALUES (?, ?, ?, ?, ?, ?)", indexes, i -> new Object[]{modelId, version, i, files.get(i).path(),
                files.get(i).sha256(), files.get(i).size()});
    }

    public Optional<VersionRow> version(long modelId, long version) throws SQLException {
        List<VersionRow> rows = versionRows(new SqlText().append("SELECT " + VERSION_COLUMNS + " FROM model_versions v "
                + "JOIN registered_models m ON m.model_id = v.model_id WHERE v.model_id = ").bind(modelId)
                .append(" AND v.version = ").bind(version));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The newest version of the model in each of {@code stages}, in stage order. */
    public List<VersionRow> latestVersions(long modelId, Collection<Stage> stages) throws SQLException {
        List<VersionRow> latest = new ArrayList<>();
        for (Stage stage : stages.stream().distinct().sorted().toList()) {
            latest.addAll(versionRows(new SqlText().append("SELECT " + VERSION_COLUMNS + " FROM model_versions v "
                    + "JOIN registered_models m ON m.model_id = v.model_id WHERE v.model_id = ").bind(modelId)
                    .append(" AND v.current_stage = ").bind(stage.wireName())
                    .append(" ORDER BY v.version DESC LIMIT 1")));
        }
        return latest;
    }

    public void updateVersionDescription(long modelId, long version, String description, long now) throws SQLException {
        update("UPDATE model_versions SET description = ?, last_updated_time = ? WHERE model_id = ? AND version = ?",
                description, now, modelId, version);
    }

    public void setStage(long modelId, long version, Stage stage, long now) throws SQLException {
        update("UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE model_id = ? AND version = ?",
                stage.wireName(), now, modelId, version);
    }

    /** Moves every other version of the model in {@code stage} to Archived. */
    public void archiveOthers(long modelId, Stage stage, long except, long now) throws SQLException {
        update("UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE model_id = ? "
                + "AND current_stage = ? AND version <> ?", Stage.ARCHIVED.wireName(), now, modelId, stage.wireName(), except);
    }

    /** Deletes the version; its files, tags and the aliases pointing at it go with it. */
    public void deleteVersion(long modelId, long version) throws SQLException {
        update("DELETE FROM model_versions WHERE model_id = ? AND version = ?", modelId, version);
    }

    public void upsertVersionTags(long modelId, long version, Collection<Tag> tags) throws SQLException {
        VERSION_TAGS.upsert(connection, List.of(modelId, version), tags, Tag::key, Tag::value);
    }

    public boolean deleteVersionTag(long modelId, long version, String key) throws SQLException {
        return VERSION_TAGS.delete(connection, List.of(modelId, version), key);
    }

    public void touchVersion(long modelId, long version, long now) throws SQLException {
        update("UPDATE model_versions SET last_updated_time = ? WHERE model_id = ? AND version = ?", now, modelId, version);
    }

    public List<ManifestFile> files(long modelId, long version) throws SQLException {
        return Rows.all(connection, "SELECT path, sha256, size_bytes FROM model_version_files WHERE model_id = ? "
                + "AND version = ? ORDER BY file_index", rows -> new ManifestFile(rows.getString(1), rows.getString(2),
                rows.getLong(3)), modelId, version);
    }

    /** The versions with their tags, aliases and manifest (files included), in the order given. */
    public List<ModelVersion> modelVersions(List<VersionRow> versions) throws SQLException {
        Map<List<Long>, List<Tag>> tags = new HashMap<>();
        Map<List<Long>, List<String>> aliases = new HashMap<>();
        Map<List<Long>, List<ManifestFile>> files = new HashMap<>();
        for (int from = 0; from < versions.size(); from += IN_CHUNK) {
            List<VersionRow> chunk = versions.subList(from, Math.min(versions.size(), from + IN_CHUNK));
            Rows.group(connection, pairs("SELECT model_id, version, tag_key, tag_value FROM model_version_tags", chunk,
                    " ORDER BY tag_key"), JdbcModelStore::versionKey, rows -> new Tag(rows.getString(3), rows.getString(4)),
                    tags);
            Rows.group(connection, pairs("SELECT model_id, version, alias FROM registered_model_aliases", chunk,
                    " ORDER BY alias"), JdbcModelStore::versionKey, rows -> rows.getString(3), aliases);
            Rows.group(connection, pairs("SELECT model_id, version, path, sha256, size_bytes FROM model_version_files",
                    chunk, " ORDER BY file_index"), JdbcModelStore::versionKey,
                    rows -> new ManifestFile(rows.getString(3), rows.getString(4), rows.getLong(5)), files);
        }
        List<ModelVersion> result = new ArrayList<>(versions.size());
        for (VersionRow row : versions) {
            List<Long> key = List.of(row.modelId(), row.version());
            ModelManifest manifest = new ModelManifest(row.flavor(), row.modelFile(),
                    ManifestJson.signature(row.signatureJson()), files.getOrDefault(key, List.of()),
                    ManifestJson.lineage(row.lineageJson()));
            result.add(new ModelVersion(row.modelName(), row.version(), row.creationTime(), row.lastUpdatedTime(),
                    row.userId(), row.stage(), row.description(), row.source(), row.runId(), row.status(),
                    row.statusMessage(), tags.getOrDefault(key, List.of()), row.runLink(),
                    aliases.getOrDefault(key, List.of()), manifest));
        }
        return result;
    }

    public Page<ModelVersion> searchVersions(SearchQuery query, PageRequest request) throws SQLException {
        Page<VersionRow> page = KeysetPage.read(connection, query, request, JdbcModelStore::versionRow);
        return new Page<>(modelVersions(page.items()), page.nextPageToken());
    }

    // model cards

    /** The versions' saved model cards. */
    public JdbcModelCards cards() {
        return new JdbcModelCards(connection);
    }

    // aliases

    public void setAlias(long modelId, String alias, long version) throws SQLException {
        update("INSERT INTO registered_model_aliases (model_id, alias, version) VALUES (?, ?, ?) "
                + "ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version", modelId, alias, version);
    }

    public boolean deleteAlias(long modelId, String alias) throws SQLException {
        return update("DELETE FROM registered_model_aliases WHERE model_id = ? AND alias = ?", modelId, alias) > 0;
    }

    public Optional<Long> aliasVersion(long modelId, String alias) throws SQLException {
        return Rows.first(connection, "SELECT version FROM registered_model_aliases WHERE model_id = ? AND alias = ?",
                row -> row.getLong(1), modelId, alias);
    }

    // rows

    /** {@code select} restricted to the (model_id, version) pairs of {@code chunk}. */
    private static SqlText pairs(String select, List<VersionRow> chunk, String orderBy) {
        SqlText sql = new SqlText().append(select).append(" WHERE ");
        if (chunk.isEmpty()) {
            return sql.append("1 = 0");
        }
        sql.append("(");
        for (int i = 0; i < chunk.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append("(model_id = ").bind(chunk.get(i).modelId())
                    .append(" AND version = ").bind(chunk.get(i).version()).append(")");
        }
        return sql.append(")").append(orderBy);
    }

    private List<VersionRow> versionRows(SqlText sql) throws SQLException {
        return Rows.all(connection, sql, JdbcModelStore::versionRow);
    }

    /** A version's (model_id, version) key, from the first two columns. */
    private static List<Long> versionKey(ResultSet rows) throws SQLException {
        return List.of(rows.getLong(1), rows.getLong(2));
    }

    private static ModelRow modelRow(ResultSet rows) throws SQLException {
        return new ModelRow(rows.getLong("model_id"), rows.getString("name"), rows.getString("description"),
                rows.getString("owner"), RiskTier.valueOf(rows.getString("risk_tier")), rows.getLong("creation_time"),
                rows.getLong("last_updated_time"), rows.getLong("last_version"));
    }

    private static VersionRow versionRow(ResultSet rows) throws SQLException {
        return new VersionRow(rows.getLong("model_id"), rows.getString("model_name"), rows.getLong("version"),
                rows.getLong("creation_time"), rows.getLong("last_updated_time"), rows.getString("user_id"),
                Stage.parse(rows.getString("current_stage")), rows.getString("description"), rows.getString("source"),
                rows.getString("run_id"), ModelVersionStatus.valueOf(rows.getString("status")),
                rows.getString("status_message"), rows.getString("run_link"), Flavor.valueOf(rows.getString("flavor")),
                rows.getString("model_file"), rows.getString("signature"), rows.getString("lineage"));
    }

    private int update(String sql, Object... args) throws SQLException {
        return Rows.update(connection, sql, args);
    }
}
