package dev.keel.cli.demo;

import dev.keel.cli.output.Cells;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What the demo shows on stderr while it trains: a redrawn bar on a terminal, one plain line
 * per model otherwise (logs and CI output stay readable). ASCII only, so a terminal in the C
 * locale shows it as well as a UTF-8 one.
 */
sealed interface Progress permits Progress.Bar, Progress.Lines {

    void modelStarted(int index, int total, Candidate candidate);

    void epochDone(EpochScores scores, Duration elapsed);

    void modelFinished(Evaluation evaluation, Duration elapsed);

    static Progress on(PrintStream err, boolean interactive) {
        return interactive ? new Bar(err) : new Lines(err);
    }

    private static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0);
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

        private void draw(String line) {
            // pad over what the previous frame left behind
            err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            err.flush();
            drawn = line.length();
        }
    }

    /** One line per finished model. */
    final class Lines implements Progress {
        private final PrintStream err;
        private String prefix = "";

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
    }
}
