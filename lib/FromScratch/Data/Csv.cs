using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

// Lessons 1–12: a CSV table with a header → X and Y, one column per sample.
namespace FromScratch;

/// <summary>What to do with a row that has an empty field in a column we need.</summary>
public enum MissingValues
{
    /// <summary>Stop with an error naming the file, line and column (the default: missing data should be seen).</summary>
    Error,
    /// <summary>Leave the row out and record its line in <see cref="Dataset.DroppedLines"/>.</summary>
    DropRow,
}

/// <summary>
/// Reads a comma-separated table with a header row into a <see cref="Dataset"/>: the chosen feature
/// columns become X (one column per sample), the label column becomes Y through a <see cref="LabelMap"/>.
/// Numbers are read with the invariant culture (a dot as decimal separator). Fields are separated by
/// commas; quoted fields are not supported. Every error names the file, the line, the column and the text.
/// </summary>
public static class Csv
{
    /// <summary>
    /// Loads <paramref name="path"/>, e.g.
    /// <c>Csv.Load("data/davis.csv", ["weight_kg", "height_cm"], "sex", LabelMap.Of(("F", 1), ("M", 0)))</c>.
    /// </summary>
    /// <param name="path">The CSV file; its first line names the columns.</param>
    /// <param name="features">The columns that become the rows of X, in this order.</param>
    /// <param name="label">The column that becomes Y.</param>
    /// <param name="labels">How the label text becomes a number.</param>
    /// <param name="missing">Whether an empty field in a used column is an error (default) or drops the row.</param>
    public static Dataset Load(string path, IReadOnlyList<string> features, string label, LabelMap labels, MissingValues missing = MissingValues.Error)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"CSV file not found: {full}", full);
        using var reader = new StreamReader(full);
        return Read(reader, Path.GetFileName(full), features, label, labels, missing);
    }

    /// <summary>
    /// Reads a table that is already in memory (e.g. a few lines typed into a notebook). <paramref name="sourceName"/>
    /// is used in messages in place of a file name.
    /// </summary>
    public static Dataset Parse(string text, string sourceName, IReadOnlyList<string> features, string label, LabelMap labels, MissingValues missing = MissingValues.Error)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Read(reader, sourceName, features, label, labels, missing);
    }

    private static Dataset Read(TextReader reader, string source, IReadOnlyList<string> features, string label, LabelMap labels, MissingValues missing)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0)
            throw new ArgumentException("Choose at least one feature column.", nameof(features));
        if (features.Distinct().Count() != features.Count)
            throw new ArgumentException($"A feature column is listed twice: {string.Join(", ", features)}.", nameof(features));
        if (features.Contains(label))
            throw new ArgumentException($"The label column '{label}' is also listed as a feature; the network would see the answer.", nameof(features));

        string? headerLine = reader.ReadLine();
        if (headerLine is null || headerLine.Trim().Length == 0)
            throw new CsvFormatException(source, 1, 0, $"{source}, line 1: the header row is missing (the file is empty).");
        string[] header = SplitLine(headerLine, source, 1);
        for (int c = 0; c < header.Length; c++)
        {
            if (Array.IndexOf(header, header[c]) != c)
                throw new CsvFormatException(source, 1, c + 1, $"{source}, line 1: the column name '{header[c]}' appears twice (columns {Array.IndexOf(header, header[c]) + 1} and {c + 1}).");
        }

        int[] featureColumns = features.Select(name => ColumnIndex(header, name, source)).ToArray();
        int labelColumn = ColumnIndex(header, label, source);
        int[] usedColumns = [.. featureColumns, labelColumn];

        var columns = new List<double[]>(); // one entry per kept sample: its feature values
        var y = new List<double>();
        var lines = new List<int>();
        var dropped = new List<int>();

        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue; // a blank line holds no sample (typically the last one)
            string[] fields = SplitLine(line, source, lineNumber);
            if (fields.Length != header.Length)
                throw new CsvFormatException(source, lineNumber, 0,
                    $"{source}, line {lineNumber}: {fields.Length} fields, but the header has {header.Length} ({string.Join(", ", header)}).");

            int mc = Array.FindIndex(usedColumns, c => fields[c].Trim().Length == 0) is int k and >= 0 ? usedColumns[k] : -1;
            if (mc >= 0)
            {
                if (missing == MissingValues.DropRow) { dropped.Add(lineNumber); continue; }
                throw Error(source, lineNumber, header, mc, $"'{fields[mc]}' is missing (empty field); pass MissingValues.DropRow to leave such rows out");
            }

            var x = new double[featureColumns.Length];
            for (int i = 0; i < featureColumns.Length; i++)
            {
                int c = featureColumns[i];
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out x[i]))
                    throw Error(source, lineNumber, header, c, $"'{fields[c]}' is not a number");
                if (!double.IsFinite(x[i]))
                    throw Error(source, lineNumber, header, c, $"'{fields[c]}' is not a finite number");
            }

            string labelText = fields[labelColumn].Trim();
            if (!labels.TryMap(labelText, out double yValue))
                throw Error(source, lineNumber, header, labelColumn,
                    labels.IsNumeric ? $"label '{labelText}' is not a finite number" : $"label '{labelText}' is not one of {labels.Describe()}");

            columns.Add(x);
            y.Add(yValue);
            lines.Add(lineNumber);
        }

        if (columns.Count == 0)
            throw new CsvFormatException(source, lineNumber, 0, $"{source}: no samples (only a header{(dropped.Count > 0 ? $", and {dropped.Count} rows dropped for missing values" : "")}).");

        // One column per sample: X[i, j] is feature i of sample j.
        var X = Matrix<double>.Build.Dense(featureColumns.Length, columns.Count, (i, j) => columns[j][i]);
        var Y = Matrix<double>.Build.Dense(1, y.Count, (_, j) => y[j]);
        return new Dataset(source, X, Y, features.ToArray(), label, labels, lines, dropped);
    }

    private static string[] SplitLine(string line, string source, int lineNumber)
    {
        int quote = line.IndexOf('"');
        if (quote >= 0)
            throw new CsvFormatException(source, lineNumber, 0, $"{source}, line {lineNumber}: quoted fields are not supported (found '\"' at character {quote + 1}).");
        return line.Split(',');
    }

    private static int ColumnIndex(string[] header, string name, string source)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
            throw new CsvFormatException(source, 1, 0, $"{source}: there is no column '{name}'; the columns are {string.Join(", ", header)}.");
        return index;
    }

    private static CsvFormatException Error(string source, int line, string[] header, int column, string what) =>
        new(source, line, column + 1, $"{source}, line {line}, column '{header[column]}' ({column + 1}): {what}.");
}
