package dev.keel.serving.endpoint;

import dev.keel.api.serving.Endpoint;

/**
 * Told about every endpoint change after it is committed (and about every stored endpoint when
 * the service opens), so the {@link Router} follows without polling. Called on the writer's
 * thread: keep it quick.
 */
public interface EndpointChanges {

    void changed(Endpoint endpoint);

    void deleted(String name);

    EndpointChanges NONE = new EndpointChanges() {
        @Override
        public void changed(Endpoint endpoint) {
        }

        @Override
        public void deleted(String name) {
        }
    };
}
