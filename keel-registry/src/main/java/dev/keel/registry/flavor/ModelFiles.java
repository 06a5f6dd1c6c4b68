package dev.keel.registry.flavor;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The files of one model version, wherever they are stored (an upload, a run's artifacts).
 * Paths are relative and '/'-separated; reading is lazy so a large model is only streamed
 * when it has to be.
 */
public interface ModelFiles {
    List<String> paths();

    InputStream open(String path) throws IOException;
}
