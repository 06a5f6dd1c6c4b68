package dev.keel.cli.output;

import dev.keel.cli.output.Table.Column;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    @Test
    void text_aligns_left_and_numbers_align_right() {
        Table table = new Table(List.of(Column.text("NAME"), Column.number("auc"), Column.text("NOTE")))
                .row(List.of("a", "0.9", "x"))
                .row(List.of("longer", "0.8123", ""));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "NAME       auc  NOTE",
                "a          0.9  x",
                "longer  0.8123");
    }

    @Test
    void numbers_read_short() {
        assertThat(Cells.number(0.812345)).isEqualTo("0.8123");
        assertThat(Cells.number(3.0)).isEqualTo("3");
        assertThat(Cells.number(-0.00001)).isEqualTo("-1.000e-05");
        assertThat(Cells.number(Double.NaN)).isEqualTo("NaN");
        assertThat(Cells.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(Cells.number(12_345_678.9)).isEqualTo("12345678.9");
    }
}
