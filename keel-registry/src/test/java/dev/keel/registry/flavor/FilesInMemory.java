package dev.keel.registry.flavor;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model version's files held in memory, as an upload would hand them over. */
final class FilesInMemory implements ModelFiles {
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    FilesInMemory with(String path, byte[] bytes) {
        files.put(path, bytes);
        return this;
    }

    FilesInMemory with(String path, String text) {
        return with(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> paths() {
        return List.copyOf(files.keySet());
    }

    @Override
    public InputStream open(String path) throws NoSuchFileException {
        byte[] bytes = files.get(path);
        if (bytes == null) {
            throw new NoSuchFileException(path);
        }
        return new ByteArrayInputStream(bytes);
    }
}
