package dev.keel.registry.card;

import dev.keel.api.registry.card.ModelCard;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Markdown and HTML forms of a model card: every section, tables, and nothing an author wrote becomes markup. */
class ModelCardRenderingTest {
    private static final String SCRIPT = "<script>alert('x')</script>";

    private static ModelCard card() {
        return SampleCards.withManifestFacts(SampleCards.complete(), "credit-risk", 3).savedBy("alice", 1_700_000_000_000L);
    }

    private static ModelCard withScript() {
        return SampleCards.edited(card(), json -> {
            json.withObject("model_details").put("overview", "Scores " + SCRIPT + " & more");
            json.withArray("caveats").add("\"quoted\" <b>bold</b>");
            json.withArray("factors").addObject().put("name", SCRIPT).put("description", "a | pipe");
        });
    }

    @Test
    void markdown_has_a_heading_per_section_and_tables_for_metrics_slices_and_the_signature() {
        String markdown = ModelCardMarkdown.render(card());

        assertThat(markdown).startsWith("# Model card: credit-risk version 3\n");
        assertThat(markdown).contains("## Model details", "## Model parameters", "### Signature", "## Intended use",
                "### Out-of-scope uses", "## Factors", "## Metrics", "### By slice", "## Training data",
                "## Evaluation data", "## Ethical considerations", "## Caveats and recommendations");
        assertThat(markdown).contains("| Direction | Name | Type | Shape |", "| input | features | float32 | \\[?, 9\\] |");
        assertThat(markdown).contains("| Metric | Slice | Value | Threshold | Met |",
                "| auc | home_owner=no | 0.71 | >= 0.75 | NO |", "| auc | 0.82 | >= 0.75 | yes |");
        assertThat(markdown).contains("- Automated denial of credit", "Saved by alice at 2023-11-14T22:13:20Z.");
        assertThat(markdown).doesNotContain("Sections still to write");
    }

    @Test
    void markdown_escapes_what_would_be_html_or_break_a_table() {
        String markdown = ModelCardMarkdown.render(withScript());

        // a tag opens only with an unescaped '<'
        assertThat(Pattern.compile("(?<!\\\\)<[a-zA-Z/]").matcher(markdown.replace("<br>", "")).find()).isFalse();
        assertThat(markdown).contains("\\<script>", "a \\| pipe");
    }

    @Test
    void a_draft_says_so_and_names_the_sections_still_to_write() {
        ModelCard draft = new ModelCard(null, null, null, null, null, null, null, null, null, null, true, null, 0);

        assertThat(ModelCardMarkdown.render(draft)).contains("Draft prefilled by Keel", "Sections still to write: model_details",
                "_Not written yet._");
        assertThat(ModelCardHtml.render(draft)).contains("Draft prefilled by Keel", "Sections still to write",
                "Not written yet.", "No signature could be read");
    }

    @Test
    void html_is_one_standalone_page_with_sections_as_headings_and_tables() {
        String html = ModelCardHtml.render(card());

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).contains("<title>Model card: credit-risk version 3</title>", "<style>", "@media print");
        assertThat(html).contains("<h2>Model details</h2>", "<h2>Intended use</h2>", "<h3>Out-of-scope uses</h3>",
                "<h2>Factors</h2>", "<h2>Metrics</h2>", "<h3>By slice</h3>", "<h2>Training data</h2>",
                "<h2>Evaluation data</h2>", "<h2>Ethical considerations</h2>", "<h2>Caveats and recommendations</h2>");
        assertThat(html).contains("<td>input</td><td>features</td><td>float32</td><td>[?, 9]</td>");
        assertThat(html).contains("<td>home_owner=no</td><td class=\"number\">0.71</td><td>&gt;= 0.75</td><td class=\"fail\">NO</td>");
        // nothing fetched from elsewhere: no scripts, no links, no external sources
        assertThat(html).doesNotContain("<script", "<link", "src=", "@import", "url(");
        assertThat(Pattern.compile("https?://").matcher(html.replace("https://example.com/tickets/42", "")).find()).isFalse();
    }

    @Test
    void html_escapes_every_value_an_author_wrote() {
        String html = ModelCardHtml.render(withScript());

        assertThat(html).doesNotContain(SCRIPT, "<b>bold</b>");
        assertThat(html).contains("Scores &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more",
                "&quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;", "<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>");
        assertThat(List.of(html.split("<script", -1))).hasSize(1);
    }
}
