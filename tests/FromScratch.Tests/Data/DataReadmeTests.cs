namespace FromScratch.Tests.Data;

/// <summary>
/// data/README.md states counts about the data files; these tests recount them from the files,
/// so the README fails the build the moment it and the data disagree.
/// </summary>
public class DataReadmeTests
{
    private static readonly string Readme = File.ReadAllText(RepoPaths.DataFile("README.md"));

    private static List<Dictionary<string, string>> Rows(string file)
    {
        string[] lines = File.ReadAllLines(RepoPaths.DataFile(file)).Where(l => l.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        return lines.Skip(1).Select(l =>
        {
            string[] fields = l.Split(',');
            Assert.Equal(header.Length, fields.Length);
            return header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        }).ToList();
    }

    private static int Missing(List<Dictionary<string, string>> rows, string column) => rows.Count(r => r[column] == "");

    private static void States(string text) =>
        Assert.True(Readme.Contains(text, StringComparison.Ordinal), $"data/README.md should say \"{text}\" (recounted from the file).");

    [Fact]
    public void Every_csv_file_is_in_the_table_with_its_row_count_and_header()
    {
        var table = Readme.Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains(".csv |", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .ToDictionary(c => c[1], c => (Rows: int.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture), Columns: c[3]));

        string[] files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "data"), "*.csv").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(files.Order(), table.Keys.Order());
        foreach (string file in files)
        {
            Assert.Equal(Rows(file).Count, table[file].Rows);
            string[] header = File.ReadLines(RepoPaths.DataFile(file)).First().Split(',');
            // The columns cell lists every column by name, or the first and last of a long run ("pixel_0_0 … pixel_7_7").
            foreach (string name in header.Where(h => !h.StartsWith("pixel_", StringComparison.Ordinal) || h is "pixel_0_0" or "pixel_7_7"))
                Assert.Contains(name, table[file].Columns);
        }
    }

    [Fact]
    public void Davis_counts_and_the_swapped_row()
    {
        var rows = Rows("davis.csv");
        States($"{rows.Count(r => r["sex"] == "F")} F and {rows.Count(r => r["sex"] == "M")} M");
        States($"{Missing(rows, "reported_weight_kg")} rows have no reported_weight_kg and {Missing(rows, "reported_height_cm")} rows have no reported_height_cm");
        Assert.Equal(0, Missing(rows, "weight_kg") + Missing(rows, "height_cm") + Missing(rows, "sex"));

        int swapped = Assert.Single(Enumerable.Range(0, rows.Count), i => double.Parse(rows[i]["weight_kg"]) > double.Parse(rows[i]["height_cm"]));
        var r = rows[swapped];
        States($"Line {swapped + 2} (the {swapped + 1}th person, {r["sex"]}) says weight_kg = {r["weight_kg"]} and\n  height_cm = {r["height_cm"]}");
        States($"{r["reported_weight_kg"]} kg and {r["reported_height_cm"]} cm");
    }

    [Fact]
    public void Digits_counts()
    {
        var rows = Rows("digits.csv");
        var perClass = rows.GroupBy(r => r["label"]).Select(g => g.Count()).ToArray();
        Assert.Equal(10, perClass.Length);
        States($"between {perClass.Min()} and {perClass.Max()} images");
        var pixels = rows.SelectMany(r => r.Where(p => p.Key != "label").Select(p => int.Parse(p.Value))).ToArray();
        Assert.Equal((0, 16), (pixels.Min(), pixels.Max()));
        Assert.Equal(64, rows[0].Count - 1);
    }

    [Fact]
    public void Seattle_counts_and_peak()
    {
        var rows = Rows("seattle_weather_2012.csv");
        States($"{rows.Count} days");
        States($"{rows[0]["date"]} to {rows[^1]["date"]}");
        Assert.Equal(0, rows.First().Keys.Sum(c => Missing(rows, c)));
        var hottest = rows.MaxBy(r => double.Parse(r["temp_max_c"], System.Globalization.CultureInfo.InvariantCulture))!;
        States($"{hottest["temp_max_c"]} °C on {hottest["date"]}");
        Assert.StartsWith("2012-08", hottest["date"]);
    }

    [Fact]
    public void Penguins_missing_values()
    {
        var rows = Rows("penguins.csv");
        string[] measurements = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
        int noMeasurements = rows.Count(r => measurements.All(m => r[m] == ""));
        Assert.Equal(noMeasurements, rows.Count(r => measurements.Any(m => r[m] == ""))); // all-or-nothing
        Assert.True(rows.Where(r => r["body_mass_g"] == "").All(r => r["sex"] == ""));
        States($"{Missing(rows, "sex")} rows have no `sex`, and {noMeasurements} of those rows have no measurements at all");
        Assert.Equal(3, rows.Select(r => r["species"]).Distinct().Count());
    }

    [Fact]
    public void Gender_four_matches_the_documented_table_and_shift()
    {
        var rows = Rows("gender-4.csv");
        foreach (var r in rows)
        {
            States($"| {r["name"]} | {r["weight_lb"]} | {r["height_in"]} | {r["sex"]} |");
            string shifted = $"({int.Parse(r["weight_lb"]) - 135}, {int.Parse(r["height_in"]) - 66})".Replace('-', '−');
            States($"{r["name"]} {shifted}");
        }
        Assert.Equal(2, rows.Count(r => r["sex"] == "F"));
    }
}
