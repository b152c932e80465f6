using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

// Lessons 1–12: features X and labels Y of a table, with the line each sample came from.
namespace FromScratch;

/// <summary>
/// Features and labels read from a table, in the library's matrix convention: ONE COLUMN PER SAMPLE.
/// X is n_features × m (row i is feature <c>FeatureNames[i]</c>), Y is 1 × m. Sample j came from line
/// <c>LineNumbers[j]</c> of the file (the header is line 1), so a lesson can point at the line of an odd value.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset; <paramref name="x"/> and <paramref name="y"/> must have one column per sample.</summary>
    public Dataset(
        string source,
        Matrix<double> x,
        Matrix<double> y,
        IReadOnlyList<string> featureNames,
        string labelName,
        LabelMap labels,
        IReadOnlyList<int> lineNumbers,
        IReadOnlyList<int> droppedLines)
    {
        if (x.RowCount != featureNames.Count)
            throw new ArgumentException($"X is {Guard.Shape(x)} but there are {featureNames.Count} feature names; X needs one row per feature.");
        if (y.RowCount != 1 || y.ColumnCount != x.ColumnCount)
            throw new ArgumentException($"Y is {Guard.Shape(y)} but X is {Guard.Shape(x)}; Y must be 1×m with the same m (one column per sample).");
        if (lineNumbers.Count != x.ColumnCount)
            throw new ArgumentException($"There are {lineNumbers.Count} line numbers for {x.ColumnCount} samples.");
        Source = source;
        X = x;
        Y = y;
        FeatureNames = featureNames;
        LabelName = labelName;
        Labels = labels;
        LineNumbers = lineNumbers;
        DroppedLines = droppedLines;
    }

    /// <summary>Where the data came from (the file name), as used in messages.</summary>
    public string Source { get; }

    /// <summary>The features, n_features × m: one row per feature, one column per sample.</summary>
    public Matrix<double> X { get; }

    /// <summary>The labels, 1 × m: one column per sample.</summary>
    public Matrix<double> Y { get; }

    /// <summary>The name of each row of <see cref="X"/>.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The name of the label column.</summary>
    public string LabelName { get; }

    /// <summary>How the label text was turned into numbers (and the class names, if any).</summary>
    public LabelMap Labels { get; }

    /// <summary>The class names ordered by value (e.g. M, F for F → 1, M → 0); empty for numeric labels.</summary>
    public IReadOnlyList<string> ClassNames => Labels.ClassNames;

    /// <summary>The file line (header = line 1) each sample came from: sample j is line <c>LineNumbers[j]</c>.</summary>
    public IReadOnlyList<int> LineNumbers { get; }

    /// <summary>The lines that were dropped because a value was missing (only when dropping was asked for).</summary>
    public IReadOnlyList<int> DroppedLines { get; }

    /// <summary>Number of samples m.</summary>
    public int Count => X.ColumnCount;

    /// <summary>Number of features n.</summary>
    public int FeatureCount => X.RowCount;

    /// <summary>The values of one feature over all samples (a row of X), by name.</summary>
    public double[] Feature(string name)
    {
        int row = FeatureNames.ToList().IndexOf(name);
        if (row < 0)
            throw new ArgumentException($"{Source} has no feature '{name}'; the features are {string.Join(", ", FeatureNames)}.", nameof(name));
        return X.Row(row).ToArray();
    }

    /// <summary>The labels y as a plain array (the single row of Y).</summary>
    public double[] LabelValues() => Y.Row(0).ToArray();

    /// <summary>
    /// The labels as class indices 0, 1, 2, … (e.g. for a confusion matrix or one-hot encoding).
    /// Throws if a label is not a whole number ≥ 0.
    /// </summary>
    public int[] ClassIndices()
    {
        var result = new int[Count];
        for (int j = 0; j < Count; j++)
        {
            double v = Y[0, j];
            if (v < 0 || v != Math.Floor(v) || v > int.MaxValue)
                throw new InvalidOperationException(
                    $"{Source}, line {LineNumbers[j]}: label {v.ToString(CultureInfo.InvariantCulture)} is not a class index (a whole number ≥ 0).");
            result[j] = (int)v;
        }
        return result;
    }

    /// <summary>Number of samples whose label value equals <paramref name="value"/> (e.g. how many are F = 1).</summary>
    public int CountLabel(double value) => Y.Row(0).Count(v => v == value);

    /// <summary>
    /// The 200 people of lessons 4–8 (data/davis.csv): X is 2 × 200 (row 0 weight_kg, row 1 height_cm), Y is 1 × 200 with
    /// y = 1 for F and 0 for M. The same as
    /// <c>Csv.Load(Dataset.DataFile("davis.csv"), ["weight_kg", "height_cm"], "sex", LabelMap.Of(("F", 1), ("M", 0)))</c>.
    /// </summary>
    public static Dataset Davis() =>
        Csv.Load(DataFile("davis.csv"), ["weight_kg", "height_cm"], "sex", LabelMap.Of(("F", 1), ("M", 0)));

    /// <summary>
    /// The same data without the samples that came from the given file lines, e.g. <c>Dataset.Davis().WithoutLines(13)</c>
    /// leaves out the person whose weight and height were typed into each other's column (lessons 4–8). Every line must be
    /// one of <see cref="LineNumbers"/>. (<see cref="DroppedLines"/> stays the lines dropped for missing values.)
    /// </summary>
    public Dataset WithoutLines(params int[] lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var missing = lines.Where(line => !LineNumbers.Contains(line)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"{Source} has no sample from line{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}; its {Count} samples come from lines {LineNumbers.Min()} … {LineNumbers.Max()}.", nameof(lines));
        int[] kept = Enumerable.Range(0, Count).Where(j => !lines.Contains(LineNumbers[j])).ToArray();
        return new Dataset(Source, DataSplit.Columns(X, kept), DataSplit.Columns(Y, kept), FeatureNames, LabelName, Labels,
            kept.Select(j => LineNumbers[j]).ToArray(), DroppedLines);
    }

    /// <summary>
    /// The full path of a file in the course's data/ folder, e.g. <c>Dataset.DataFile("davis.csv")</c>: the first data/
    /// folder holding it, looking upwards from the library (build/lib/ → the repository), then from the current folder.
    /// Throws a <see cref="FileNotFoundException"/> naming the places tried.
    /// </summary>
    public static string DataFile(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string library = Path.GetDirectoryName(typeof(Dataset).Assembly.Location) ?? AppContext.BaseDirectory;
        var tried = new List<string>();
        foreach (string start in new[] { library, Environment.CurrentDirectory })
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                tried.Add(Path.Combine(folder.FullName, "data", name));
        return tried.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"The course data file {name} is in no data/ folder above {library} or {Environment.CurrentDirectory} (tried {string.Join(", ", tried)}).", name);
    }

    /// <summary>One line for a notebook, e.g. "davis.csv: 200 samples × 2 features (weight_kg, height_cm) → sex".</summary>
    public override string ToString()
    {
        string text = $"{Source}: {Count} samples × {FeatureCount} features ({string.Join(", ", FeatureNames)}) → {LabelName}";
        if (DroppedLines.Count > 0)
            text += $"; dropped {DroppedLines.Count} row{(DroppedLines.Count == 1 ? "" : "s")} with missing values (line{(DroppedLines.Count == 1 ? "" : "s")} {string.Join(", ", DroppedLines)})";
        return text;
    }
}
