package dev.keel.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a server with wrk, a separate process, so the load generator's own cost is not mixed
 * into the server's JVM. The Lua script is bench/lua/tracking.lua, shipped inside the jar too.
 */
final class Wrk {
    private final String executable;
    private final Path script;

    private Wrk(String executable, Path script) {
        this.executable = executable;
        this.script = script;
    }

    static Wrk locate() throws IOException {
        String executable = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                executable = Path.of(dir, "wrk").toString();
                break;
            }
        }
        if (executable == null) {
            throw new IllegalStateException("wrk is not installed; on Debian: apt-get install wrk");
        }
        Path script = Files.createTempFile("keel-bench-", ".lua");
        script.toFile().deleteOnExit();
        try (var in = Wrk.class.getResourceAsStream("/bench/tracking.lua")) {
            if (in == null) {
                throw new IllegalStateException("bench/tracking.lua is missing from the distribution");
            }
            Files.write(script, in.readAllBytes());
        }
        return new Wrk(executable, script);
    }

    WrkResult run(URI base, int threads, int connections, int seconds, String... scriptArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-t" + threads, "-c" + connections,
                "-d" + seconds + "s", "--timeout", "10s", "-s", script.toString(), base.toString(), "--"));
        command.addAll(List.of(scriptArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        return WrkResult.parse(output);
    }
}
