using FromScratch.Tests.Data;

namespace FromScratch.Tests;

/// <summary>
/// The library is read by learners: its public surface is the course (no plumbing in IntelliSense), the folders the
/// lessons point at hold the math without the fast path's machinery, and every file is short enough to read.
/// </summary>
public class LibraryShapeTests
{
    /// <summary>Every public type, by name. A new one must be something a lesson or a learner uses.</summary>
    private static readonly string[] CourseTypes =
    [
        // the tiny network of lessons 0–4
        "ToyNetwork", "ToyForward", "ToyGradients", "ToySample", "ToyParameter", "ToyActivation",
        // networks of lessons 9–12
        "Activation", "ActivationLayer", "Dense", "DenseCache", "ILayer", "Initializer", "Loss",
        "Metrics", "Network", "NetworkGradientCheck", "GradientCheckReport", "ParameterCheck", "Parameter", "ParameterVector",
        "RandomNumbers", "Shape", "BatchNorm", "BatchNormCache",
        // optimizers and training, lessons 5–8
        "Optimizer", "Sgd", "Momentum", "RmsProp", "Adam", "ExponentiallyWeightedAverage", "LearningRateSchedule",
        "Trainer", "TrainingHistory", "TrainingOutcome", "MiniBatches", "MiniBatch", "DataSplit", "TrainTestSplit", "OneHot",
        "Standardizer", "StandardizationMode",
        // tuning, lesson 12
        "HyperparameterSearch", "HyperparameterSet", "SearchRange", "SearchResult", "Trial", "ScoreGoal",
        // data, figures, checks
        "Csv", "CsvFormatException", "MissingValues", "Dataset", "LabelMap", "Plot", "Figure", "Diagram", "GradientCheck", "Check",
        // knobs a learner drags, lessons 5 and 8
        "Knob",
        // autograd, lesson 13
        "Value", "Tensor",
    ];

    /// <summary>Machinery a lesson never names: the fast path's kernels and the browser that exports figures.</summary>
    private static readonly string[] Plumbing =
    [
        "Gemm", "GemmBlocked", "GemmWorkers", "DenseView", "ColumnMajor", "Op", "Threading", "ReferenceGemm", "VectorKernels",
        "ReferenceVectorKernels", "TrainingWorkspace", "HeadlessBrowser", "BrowserPage", "BrowserLocator", "BrowserException",
        "BrowserNotFoundException", "FigureExport", "FigureImageRequest", "ImageFormat", "Guard", "AtomicFile",
    ];

    private static string[] ExportedTypeNames() =>
        typeof(Network).Assembly.GetExportedTypes().Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_exported_types_are_the_course_types_and_no_more_than_60()
    {
        string[] exported = ExportedTypeNames();
        Assert.Equal(CourseTypes.Order(StringComparer.Ordinal), exported);
        Assert.True(exported.Length <= 60, $"{exported.Length} public types: {string.Join(", ", exported)}");
    }

    [Fact]
    public void No_plumbing_is_public()
    {
        var leaked = ExportedTypeNames().Intersect(Plumbing).ToArray();
        Assert.True(leaked.Length == 0, $"public plumbing: {string.Join(", ", leaked)}");
        // The plumbing still exists (internal): the names above are real, so this list cannot go stale silently.
        var all = typeof(Network).Assembly.GetTypes().Select(t => t.Name).ToHashSet();
        Assert.All(Plumbing, p => Assert.Contains(p, all));
    }

    /// <summary>The folders the lessons send a learner to read.</summary>
    private static readonly string[] LessonFolders = ["Toy", "Networks", "Optimizers", "Training", "Normalization", "Tuning", "Data", "Checks"];

    /// <summary>The fast path's machinery, which lives in Fast/ only.</summary>
    private static readonly string[] FastPathWords =
        ["System.Runtime.Intrinsics", "MemoryMarshal", "TensorPrimitives", "Unsafe", "AggressiveOptimization", "stackalloc", "System.Numerics.Vector"];

    private static string LibFolder => Path.Combine(RepoPaths.Root, "lib", "FromScratch");

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void The_lesson_folders_hold_the_math_without_the_fast_path_machinery()
    {
        var found = new List<string>();
        foreach (string folder in LessonFolders)
        {
            string path = Path.Combine(LibFolder, folder);
            Assert.True(Directory.Exists(path), $"{path} is missing");
            foreach (string file in SourceFiles(path))
            {
                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    foreach (string word in FastPathWords)
                        if (lines[i].Contains(word, StringComparison.Ordinal))
                            found.Add($"{Path.GetRelativePath(LibFolder, file)}:{i + 1}: {word}");
            }
        }
        Assert.True(found.Count == 0, "fast-path code in a lesson folder (it belongs in Fast/):\n" + string.Join("\n", found));
        // The words are real: the fast path uses them.
        string fast = string.Join("\n", SourceFiles(Path.Combine(LibFolder, "Fast")).Select(File.ReadAllText));
        Assert.All(FastPathWords.Where(w => w != "Unsafe"), w => Assert.Contains(w, fast));
    }

    [Fact]
    public void Every_file_of_the_lesson_folders_names_the_lessons_that_teach_it()
    {
        var missing = LessonFolders.SelectMany(f => SourceFiles(Path.Combine(LibFolder, f)))
            .Where(file => !System.Text.RegularExpressions.Regex.IsMatch(
                string.Join("\n", File.ReadLines(file).Take(12)), @"^// Lessons? \d", System.Text.RegularExpressions.RegexOptions.Multiline))
            .Select(file => Path.GetRelativePath(LibFolder, file)).ToArray();
        Assert.True(missing.Length == 0, "no '// Lesson(s) N …' line at the top of: " + string.Join(", ", missing));
    }

    [Fact]
    public void No_file_of_the_library_is_over_400_lines()
    {
        var files = SourceFiles(LibFolder).Concat(Directory.EnumerateFiles(LibFolder, "*.md")).ToList();
        Assert.True(files.Count > 40, $"only {files.Count} files found under {LibFolder}");
        var tooLong = files.Select(f => (File: Path.GetRelativePath(LibFolder, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400).Select(f => $"{f.File}: {f.Lines} lines").ToArray();
        Assert.True(tooLong.Length == 0, "over 400 lines: " + string.Join(", ", tooLong));
    }

    [Fact]
    public void No_websocket_client_code_outside_the_browser_library()
    {
        // Chromium is driven through PuppeteerSharp: neither the library nor the notebook tool speaks DevTools itself.
        var offenders = SourceFiles(LibFolder).Concat(SourceFiles(Path.Combine(RepoPaths.Root, "tools")))
            .Where(f => File.ReadAllText(f) is var text
                        && (text.Contains("ClientWebSocket", StringComparison.Ordinal) || text.Contains("System.Net.WebSockets", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f)).ToArray();
        Assert.True(offenders.Length == 0, "WebSocket code: " + string.Join(", ", offenders));
        Assert.Contains("PuppeteerSharp", File.ReadAllText(Path.Combine(LibFolder, "Figures", "Browser.cs")));
    }

    [Fact]
    public void The_readme_maps_every_file_a_learner_reads_and_points_at_the_fast_path()
    {
        string readme = File.ReadAllText(Path.Combine(LibFolder, "README.md"));
        var learnerFiles = LessonFolders.SelectMany(f => SourceFiles(Path.Combine(LibFolder, f)))
            .Select(f => Path.GetRelativePath(LibFolder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Concat(["GradientCheck.cs", "Figures/Figure.cs", "Figures/Plot.cs"]);
        var missing = learnerFiles.Where(f => !readme.Contains($"`{f}`", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "lib/FromScratch/README.md does not name: " + string.Join(", ", missing));
        Assert.Contains("## The fast path: `Fast/`, and why it exists", readme);
        foreach (string file in SourceFiles(Path.Combine(LibFolder, "Fast")).Select(f => Path.GetFileName(f)))
            Assert.Contains($"`Fast/{file}`", readme);
    }
}
