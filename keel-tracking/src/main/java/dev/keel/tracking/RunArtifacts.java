package dev.keel.tracking;

import dev.keel.api.tracking.ArtifactEntry;
import dev.keel.core.Actor;
import dev.keel.core.ArtifactPath;
import dev.keel.core.ArtifactStore;
import dev.keel.core.AuditAction;
import dev.keel.core.Checks;
import dev.keel.core.KeelException;
import dev.keel.core.Permission;
import dev.keel.core.StoredBlob;
import dev.keel.store.AuditedStore;
import dev.keel.tracking.sql.JdbcTrackingStore;
import dev.keel.tracking.sql.JdbcRunArtifacts.StoredArtifact;

import java.io.InputStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.keel.core.AuditLog.summary;
import static dev.keel.tracking.TrackingRules.noRun;
import static dev.keel.tracking.TrackingRules.requireActiveRun;
import static dev.keel.tracking.TrackingRules.run;

/**
 * A run's files: the bytes in the content-addressed artifact store, the tree of paths in the
 * run's tables. A file's bytes are stored before its transaction starts, so a slow upload never
 * holds the write lock.
 */
record RunArtifacts(AuditedStore<JdbcTrackingStore> store, TrackingAccess access, ArtifactStore blobs) {

    void logArtifact(Actor actor, String runId, ArtifactPath path, InputStream content) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("path", path);
        Checks.requireNonNull("content", content);
        if (path.isRoot()) {
            throw KeelException.invalid("artifact 'path' must name a file, not the root of the run's artifacts");
        }
        // refuse early so no bytes are stored for a run that cannot take them, and stream
        // outside the transaction so a slow upload never holds the write lock
        store.read(tables -> {
            requireActiveRun(tables, runId);
            return null;
        });
        StoredBlob blob = blobs.put(content);
        store.write(actor, (tables, events) -> {
            requireActiveRun(tables, runId);
            if (!tables.artifacts().artifactsUnder(runId, path.value()).isEmpty()) {
                throw KeelException.invalid("artifact '" + path + "' of run '" + runId + "' is a directory; a file cannot replace it");
            }
            for (int slash = path.value().indexOf('/'); slash > 0; slash = path.value().indexOf('/', slash + 1)) {
                String parent = path.value().substring(0, slash);
                if (tables.artifacts().artifact(runId, parent).isPresent()) {
                    throw KeelException.invalid("artifact '" + parent + "' of run '" + runId + "' is a file; it cannot hold '"
                            + path + "'");
                }
            }
            tables.artifacts().putArtifact(runId, path.value(), blob.sha256(), blob.size());
            events.record(AuditAction.RUN_LOG_ARTIFACT, run(runId), summary("path", path.value(), "sha256", blob.sha256(),
                    "size", blob.size()));
            return null;
        });
    }

    InputStream openArtifact(Actor actor, String runId, ArtifactPath path) {
        access.requireOnRun(actor, Permission.READ, runId);
        Checks.requireNonNull("path", path);
        StoredArtifact artifact = store.read(tables -> {
            tables.runStage(runId).orElseThrow(() -> noRun(runId));
            return tables.artifacts().artifact(runId, path.value());
        }).orElseThrow(() -> KeelException.notFound("artifact '" + path + "' does not exist in run '" + runId + "'"));
        return blobs.open(artifact.sha256());
    }

    List<ArtifactEntry> listArtifacts(Actor actor, String runId, ArtifactPath directory) {
        access.requireOnRun(actor, Permission.READ, runId);
        ArtifactPath dir = directory == null ? ArtifactPath.ROOT : directory;
        List<StoredArtifact> under = store.read(tables -> {
            tables.runStage(runId).orElseThrow(() -> noRun(runId));
            // a file lists nothing, as in MLflow
            return !dir.isRoot() && tables.artifacts().artifact(runId, dir.value()).isPresent()
                    ? List.<StoredArtifact>of() : tables.artifacts().artifactsUnder(runId, dir.value());
        });
        int prefix = dir.isRoot() ? 0 : dir.value().length() + 1;
        Map<String, ArtifactEntry> children = new LinkedHashMap<>();
        for (StoredArtifact file : under) {
            int slash = file.path().indexOf('/', prefix);
            if (slash < 0) {
                children.put(file.path(), new ArtifactEntry(file.path(), false, file.size()));
            } else {
                String child = file.path().substring(0, slash);
                children.putIfAbsent(child, new ArtifactEntry(child, true, null));
            }
        }
        return children.values().stream().sorted(Comparator.comparing(ArtifactEntry::path)).toList();
    }

    void deleteArtifact(Actor actor, String runId, ArtifactPath path) {
        access.requireOnRun(actor, Permission.EDIT, runId);
        Checks.requireNonNull("path", path);
        if (path.isRoot()) {
            throw KeelException.invalid("artifact 'path' must name a file or directory, not the root of the run's artifacts");
        }
        // the blobs stay in the content-addressed store: another run or model may hold the same bytes
        store.write(actor, (tables, events) -> {
            requireActiveRun(tables, runId);
            if (tables.artifacts().deleteArtifacts(runId, path.value()) == 0) {
                throw KeelException.notFound("artifact '" + path + "' does not exist in run '" + runId + "'");
            }
            events.record(AuditAction.RUN_DELETE_ARTIFACT, run(runId), summary("path", path.value()));
            return null;
        });
    }
}
