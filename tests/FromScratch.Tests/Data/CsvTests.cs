namespace FromScratch.Tests.Data;

public class CsvTests
{
    private static readonly LabelMap Sex = LabelMap.Of(("F", 1), ("M", 0));

    private const string Table =
        "name,w,h,sex\n" +
        "Alice,133,65,F\n" +
        "Bob,160.5,72,M\n" +
        "Cara,-1.5e2,70,F\n";

    private static CsvFormatException ParseError(string text, MissingValues missing = MissingValues.Error, LabelMap? labels = null) =>
        Assert.Throws<CsvFormatException>(() => Csv.Parse(text, "t.csv", ["w", "h"], "sex", labels ?? Sex, missing));

    [Fact]
    public void Parse_puts_one_sample_per_column_with_its_line_number()
    {
        var data = Csv.Parse(Table, "t.csv", ["w", "h"], "sex", Sex);

        Assert.Equal(2, data.X.RowCount);
        Assert.Equal(3, data.X.ColumnCount);
        Assert.Equal([133, 65], data.X.Column(0).ToArray());
        Assert.Equal([160.5, 72], data.X.Column(1).ToArray());
        Assert.Equal([-150, 70], data.X.Column(2).ToArray());
        Assert.Equal([1, 0, 1], data.Y.Row(0).ToArray());
        Assert.Equal(1, data.Y.RowCount);
        Assert.Equal([2, 3, 4], data.LineNumbers);
        Assert.Equal(["w", "h"], data.FeatureNames);
        Assert.Equal([133, 160.5, -150], data.Feature("w"));
        Assert.Equal(["M", "F"], data.ClassNames);
        Assert.Equal([1, 0, 1], data.ClassIndices());
        Assert.Equal(2, data.CountLabel(1));
        Assert.Equal("t.csv: 3 samples × 2 features (w, h) → sex", data.ToString());
    }

    [Fact]
    public void Feature_order_follows_the_request_not_the_file()
    {
        var data = Csv.Parse(Table, "t.csv", ["h", "w"], "sex", Sex);
        Assert.Equal([65, 133], data.X.Column(0).ToArray());
    }

    [Fact]
    public void Numbers_use_the_invariant_culture_whatever_the_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A culture that writes 160,5 for 160.5 (like de-DE); built by hand as the build uses invariant globalization.
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            var data = Csv.Parse(Table, "t.csv", ["w", "h"], "sex", Sex);
            Assert.Equal(160.5, data.X[0, 1]);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Classes_map_each_name_to_its_position_and_numbers_parse()
    {
        var digits = Csv.Parse("a,label\n1,7\n2,0\n", "d.csv", ["a"], "label", LabelMap.Classes("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        Assert.Equal([7, 0], digits.ClassIndices());

        var regression = Csv.Parse("day,temp\n1,12.8\n2,-3.5\n", "s.csv", ["day"], "temp", LabelMap.Number);
        Assert.Equal([12.8, -3.5], regression.LabelValues());
        Assert.Empty(regression.ClassNames);
        var notClasses = Assert.Throws<InvalidOperationException>(() => regression.ClassIndices());
        Assert.Equal("s.csv, line 2: label 12.8 is not a class index (a whole number ≥ 0).", notClasses.Message);
    }

    [Fact]
    public void An_empty_field_is_an_error_naming_file_line_column_and_text()
    {
        var e = ParseError("name,w,h,sex\nA,1,2,F\nB,,3,M\n");
        Assert.Equal("t.csv, line 3, column 'w' (2): '' is missing (empty field); pass MissingValues.DropRow to leave such rows out.", e.Message);
        Assert.Equal(("t.csv", 3, 2), (e.Source, e.Line, e.Column));
    }

    [Fact]
    public void An_empty_label_is_missing_too()
    {
        var e = ParseError("name,w,h,sex\nA,1,2,\n");
        Assert.StartsWith("t.csv, line 2, column 'sex' (4): '' is missing", e.Message);
    }

    [Fact]
    public void Dropping_rows_with_missing_values_reports_their_lines()
    {
        var data = Csv.Parse("name,w,h,sex\nA,1,2,F\nB,,3,M\nC,4,5,\nD,6,7,M\n", "t.csv", ["w", "h"], "sex", Sex, MissingValues.DropRow);
        Assert.Equal(2, data.Count);
        Assert.Equal([2, 5], data.LineNumbers);
        Assert.Equal([3, 4], data.DroppedLines);
        Assert.Equal("t.csv: 2 samples × 2 features (w, h) → sex; dropped 2 rows with missing values (lines 3, 4)", data.ToString());
    }

    [Fact]
    public void An_empty_field_in_an_unused_column_is_fine()
    {
        var data = Csv.Parse("name,w,h,sex\n,1,2,F\n", "t.csv", ["w", "h"], "sex", Sex);
        Assert.Equal(1, data.Count);
        Assert.Empty(data.DroppedLines);
    }

    [Fact]
    public void Text_that_is_not_a_number_is_an_error()
    {
        var e = ParseError("name,w,h,sex\nA,1,abc,F\n");
        Assert.Equal("t.csv, line 2, column 'h' (3): 'abc' is not a number.", e.Message);
    }

    [Fact]
    public void Quoted_fields_are_refused()
    {
        var e = ParseError("name,w,h,sex\nA,1,\"2,5\",F\n");
        Assert.Equal("t.csv, line 2: quoted fields are not supported (found '\"' at character 5).", e.Message);
    }

    [Fact]
    public void NaN_and_infinity_are_refused()
    {
        Assert.Equal("t.csv, line 2, column 'w' (2): 'NaN' is not a finite number.", ParseError("name,w,h,sex\nA,NaN,2,F\n").Message);
        Assert.Equal("t.csv, line 2, column 'h' (3): 'Infinity' is not a finite number.", ParseError("name,w,h,sex\nA,1,Infinity,F\n").Message);
    }

    [Fact]
    public void An_unknown_label_lists_the_known_ones()
    {
        var e = ParseError("name,w,h,sex\nA,1,2,X\n");
        Assert.Equal("t.csv, line 2, column 'sex' (4): label 'X' is not one of F, M.", e.Message);
        var numeric = ParseError("name,w,h,sex\nA,1,2,X\n", labels: LabelMap.Number);
        Assert.Equal("t.csv, line 2, column 'sex' (4): label 'X' is not a finite number.", numeric.Message);
    }

    [Fact]
    public void A_wrong_number_of_fields_is_an_error()
    {
        var e = ParseError("name,w,h,sex\nA,1,2,F\nB,1,2\n");
        Assert.Equal("t.csv, line 3: 3 fields, but the header has 4 (name, w, h, sex).", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void An_unknown_column_lists_the_available_ones()
    {
        var e = Assert.Throws<CsvFormatException>(() => Csv.Parse(Table, "t.csv", ["w", "weight"], "sex", Sex));
        Assert.Equal("t.csv: there is no column 'weight'; the columns are name, w, h, sex.", e.Message);
        var label = Assert.Throws<CsvFormatException>(() => Csv.Parse(Table, "t.csv", ["w"], "gender", Sex));
        Assert.Equal("t.csv: there is no column 'gender'; the columns are name, w, h, sex.", label.Message);
    }

    [Fact]
    public void A_missing_file_is_named_with_its_full_path()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"), "davis.csv");
        var e = Assert.Throws<FileNotFoundException>(() => Csv.Load(path, ["w"], "sex", Sex));
        Assert.Equal($"CSV file not found: {Path.GetFullPath(path)}", e.Message);
    }

    [Fact]
    public void Header_problems_are_errors()
    {
        Assert.Equal("t.csv, line 1: the header row is missing (the file is empty).", ParseError("").Message);
        Assert.Equal("t.csv, line 1: the column name 'w' appears twice (columns 2 and 3).", ParseError("name,w,w,sex\n").Message);
        Assert.Equal("t.csv: no samples (only a header).", ParseError("name,w,h,sex\n").Message);
    }

    [Fact]
    public void Asking_for_the_label_as_a_feature_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Csv.Parse(Table, "t.csv", ["w", "sex"], "sex", Sex));
        Assert.StartsWith("The label column 'sex' is also listed as a feature", e.Message);
    }

    [Fact]
    public void Label_maps_refuse_duplicates()
    {
        var e = Assert.Throws<ArgumentException>(() => LabelMap.Of(("F", 1), ("F", 0)));
        Assert.StartsWith("The label 'F' appears twice in the label map.", e.Message);
    }

    [Fact]
    public void Davis_loads_with_the_swapped_row_at_line_13()
    {
        var davis = Csv.Load(RepoPaths.DataFile("davis.csv"), ["weight_kg", "height_cm"], "sex", Sex);
        Assert.Equal(200, davis.Count);
        Assert.Equal(112, davis.CountLabel(1));
        Assert.Equal(88, davis.CountLabel(0));
        Assert.Equal("davis.csv", davis.Source);

        // The one person whose weight is larger than her height: weight and height were typed swapped.
        int[] odd = Enumerable.Range(0, davis.Count).Where(j => davis.X[0, j] > davis.X[1, j]).ToArray();
        int j = Assert.Single(odd);
        Assert.Equal(13, davis.LineNumbers[j]);
        Assert.Equal((166.0, 57.0, 1.0), (davis.X[0, j], davis.X[1, j], davis.Y[0, j]));
    }

    [Fact]
    public void Without_lines_leaves_out_exactly_those_samples()
    {
        var davis = Csv.Load(RepoPaths.DataFile("davis.csv"), ["weight_kg", "height_cm"], "sex", Sex);
        var corrected = davis.WithoutLines(13);
        Assert.Equal(199, corrected.Count);
        Assert.DoesNotContain(13, corrected.LineNumbers);
        Assert.DoesNotContain(Enumerable.Range(0, corrected.Count), j => corrected.X[0, j] > corrected.X[1, j]);
        Assert.Equal(111, corrected.CountLabel(1));
        for (int j = 0; j < corrected.Count; j++)
        {
            int original = davis.LineNumbers.ToList().IndexOf(corrected.LineNumbers[j]);
            Assert.Equal((davis.X[0, original], davis.X[1, original], davis.Y[0, original]),
                (corrected.X[0, j], corrected.X[1, j], corrected.Y[0, j]));
        }
        Assert.Equal(200, davis.Count);                                   // the original is unchanged
        var e = Assert.Throws<ArgumentException>(() => corrected.WithoutLines(13, 5));
        Assert.Contains("line 13", e.Message);
        Assert.Equal(197, davis.WithoutLines(2, 13, 201).Count);
    }

    [Fact]
    public void Davis_reported_weights_are_missing_on_17_rows()
    {
        string[] lines = File.ReadAllLines(RepoPaths.DataFile("davis.csv"));
        int firstMissing = Array.FindIndex(lines, l => l.Split(',')[3] == "") + 1;

        var e = Assert.Throws<CsvFormatException>(() =>
            Csv.Load(RepoPaths.DataFile("davis.csv"), ["reported_weight_kg"], "sex", Sex));
        Assert.StartsWith($"davis.csv, line {firstMissing}, column 'reported_weight_kg' (4): '' is missing", e.Message);

        var kept = Csv.Load(RepoPaths.DataFile("davis.csv"), ["reported_weight_kg"], "sex", Sex, MissingValues.DropRow);
        Assert.Equal(17, kept.DroppedLines.Count);
        Assert.Equal(183, kept.Count);
        Assert.Equal(firstMissing, kept.DroppedLines[0]);
    }

    [Fact]
    public void Digits_load_as_64_pixel_rows_and_ten_classes()
    {
        string[] pixels = Enumerable.Range(0, 64).Select(k => $"pixel_{k / 8}_{k % 8}").ToArray();
        var digits = Csv.Load(RepoPaths.DataFile("digits.csv"), pixels, "label",
            LabelMap.Classes("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        Assert.Equal(64, digits.X.RowCount);
        Assert.Equal(1797, digits.Count);
        Assert.Equal(10, digits.ClassIndices().Distinct().Count());
        Assert.Equal(0, digits.X.Enumerate().Min());
        Assert.Equal(16, digits.X.Enumerate().Max());
    }
}
