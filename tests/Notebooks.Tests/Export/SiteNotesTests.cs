using FromScratch.Notebooks.Site;
using static FromScratch.Notebooks.Tests.TestSupport;

namespace FromScratch.Notebooks.Tests.Export;

/// <summary>On the site, links between lessons and to the course's notes lead to pages that exist.</summary>
public class SiteNotesTests
{
    [Fact]
    public void Lesson_and_note_links_become_site_pages_and_other_links_stay()
    {
        string html = "<a href=\"07-weighted-averages.ipynb\">7</a> <a href=\"notes/eigenvalues.md#why\">note</a> "
            + "<a href=\"../05-learning-rate.ipynb\">5</a> <a href=\"../README.md\">readme</a> <a href=\"https://x.org/a.ipynb\">x</a>";
        Assert.Equal("<a href=\"07-weighted-averages.html\">7</a> <a href=\"notes/eigenvalues.html#why\">note</a> "
            + "<a href=\"../05-learning-rate.html\">5</a> <a href=\"../README.md\">readme</a> <a href=\"https://x.org/a.ipynb\">x</a>",
            SiteBuilder.LocalLinks(html));
    }

    [Fact]
    public void The_course_notes_become_pages_with_typeset_math_and_working_links()
    {
        string notes = Path.Combine(RepoRoot, "notebooks", "notes");
        string site = Path.Combine(Path.GetTempPath(), "fromscratch-notes-" + Guid.NewGuid().ToString("N"));
        try
        {
            var pages = SiteBuilder.NotePages(notes, site);
            Assert.Equal(Directory.GetFiles(notes, "*.md").Length, pages.Count);
            string page = File.ReadAllText(Assert.Single(pages, p => Path.GetFileName(p) == "eigenvalues.html"));
            Assert.Contains("<title>Eigenvalues", page);
            Assert.Contains("href=\"../05-learning-rate.html\"", page);
            Assert.Contains("href=\"../style.css\"", page);
            Assert.Contains("../katex/katex.min.js", page);
            Assert.Contains("data-tex=", page); // the math is handed to KaTeX, not left as $…$
            foreach (string lesson in new[] { "05-learning-rate", "06-mini-batch" })
                Assert.True(File.Exists(Path.Combine(RepoRoot, "notebooks", lesson + ".ipynb")), $"the note links to {lesson}, which is gone");
        }
        finally
        {
            if (Directory.Exists(site)) Directory.Delete(site, recursive: true);
        }
    }

    [Fact]
    public void Every_local_link_in_a_lesson_or_note_points_at_a_file_that_exists()
    {
        var broken = new List<string>();
        string folder = Path.Combine(RepoRoot, "notebooks");
        var files = Directory.GetFiles(folder, "*.ipynb").Concat(Directory.GetFiles(Path.Combine(folder, "notes"), "*.md"));
        foreach (string file in files)
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"\]\(([^)#\s]+\.(?:ipynb|md))(#[^)]*)?\)"))
            {
                string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, m.Groups[1].Value));
                if (!File.Exists(target)) broken.Add($"{Path.GetFileName(file)} → {m.Groups[1].Value}");
            }
        Assert.True(broken.Count == 0, "links to files that do not exist:\n" + string.Join("\n", broken));
    }
}
