package dev.keel.cli.demo;

import dev.keel.cli.output.Cells;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What the demo shows on stderr while it trains and while it serves: a redrawn bar on a
 * terminal, one plain line per model (and per second of traffic) otherwise, so logs and CI
 * output stay readable. ASCII only, so a terminal in the C locale shows it as well as a UTF-8 one.
 */
sealed interface Progress permits Progress.Bar, Progress.Lines {

    void modelStarted(int index, int total, Candidate candidate);

    void epochDone(EpochScores scores, Duration elapsed);

    void modelFinished(Evaluation evaluation, Duration elapsed);

    /** The live traffic as its clients see it; called a few times a second. */
    void traffic(TrafficReading reading);

    /** Something that happened, on a line of its own (after the live line, which is redrawn below it). */
    void note(String line);

    static Progress on(PrintStream err, boolean interactive) {
        return interactive ? new Bar(err) : new Lines(err);
    }

    private static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0);
    }

    /** "[serving 3.2s] 2,431 req/s  p99 3.8 ms  7,812 requests  0 failed  production 100%" */
    private static String trafficLine(TrafficReading reading) {
        return String.format(Locale.ROOT, "[serving %5.1fs] %,6.0f req/s  p99 %s  %,d requests  %,d failed  %s",
                reading.elapsed().toMillis() / 1000.0, reading.requestsPerSecond(), millis(reading.p99()),
                reading.requests(), reading.failures(), reading.split());
    }

    static String millis(Duration duration) {
        return duration == null ? "-" : String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }

    /** A bar redrawn in place with carriage returns. */
    final class Bar implements Progress {
        private static final int WIDTH = 20;
        private final PrintStream err;
        private String prefix = "";
        private int epochs;
        private int drawn;

        Bar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void modelStarted(int index, int total, Candidate candidate) {
            prefix = "[" + index + "/" + total + "] " + candidate.runName();
            epochs = candidate.epochs();
            draw(prefix + "  starting...");
        }

        @Override
        public void epochDone(EpochScores scores, Duration elapsed) {
            int filled = WIDTH * scores.epoch() / epochs;
            draw(prefix + "  " + "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]"
                    + "  epoch " + scores.epoch() + "/" + epochs
                    + "  loss " + Cells.number(scores.trainLoss()) + "  " + seconds(elapsed));
        }

        @Override
        public void modelFinished(Evaluation evaluation, Duration elapsed) {
            draw(prefix + "  auc " + Cells.number(evaluation.auc()) + "  accuracy " + Cells.number(evaluation.accuracy())
                    + "  " + seconds(elapsed));
            err.println();
            drawn = 0;
        }

        @Override
        public void traffic(TrafficReading reading) {
            draw(Progress.trafficLine(reading));
        }

        @Override
        public void note(String line) {
            if (drawn > 0) {
                // the live line stays as it was; the note goes below it and the next frame below that
                err.println();
                drawn = 0;
            }
            err.println(line);
        }

        private void draw(String line) {
            // pad over what the previous frame left behind
            err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            err.flush();
            drawn = line.length();
        }
    }

    /** One line per finished model, and one per second of traffic. */
    final class Lines implements Progress {
        private final PrintStream err;
        private String prefix = "";
        private long trafficSecond = -1;

        Lines(PrintStream err) {
            this.err = err;
        }

        @Override
        public void modelStarted(int index, int total, Candidate candidate) {
            prefix = String.format(Locale.ROOT, "[%d/%d] %-34s %2d epochs", index, total, candidate.runName(), candidate.epochs());
        }

        @Override
        public void epochDone(EpochScores scores, Duration elapsed) {
        }

        @Override
        public void modelFinished(Evaluation evaluation, Duration elapsed) {
            err.println(prefix + "  auc " + Cells.number(evaluation.auc()) + "  accuracy "
                    + Cells.number(evaluation.accuracy()) + "  " + seconds(elapsed));
        }

        @Override
        public void traffic(TrafficReading reading) {
            long second = reading.elapsed().toSeconds();
            if (second > trafficSecond) {
                trafficSecond = second;
                err.println(Progress.trafficLine(reading));
            }
        }

        @Override
        public void note(String line) {
            err.println(line);
        }
    }
}
