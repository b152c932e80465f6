// Lessons 1–12: a bad CSV value, named by file, line and column.
namespace FromScratch;

/// <summary>
/// A CSV file that cannot be read as asked. The message names the file, the line, the column
/// (name and 1-based number) and the offending text, e.g.
/// <c>davis.csv, line 13, column 'weight_kg' (2): 'abc' is not a number</c>.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception; <paramref name="line"/> and <paramref name="column"/> are 1-based, 0 when they do not apply.</summary>
    public CsvFormatException(string source, int line, int column, string message) : base(message)
    {
        Source = source;
        Line = line;
        Column = column;
    }

    /// <summary>The file (or table) name the error is in.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line number in the file (the header is line 1), or 0.</summary>
    public int Line { get; }

    /// <summary>The 1-based column number, or 0 when the error is about a whole line.</summary>
    public int Column { get; }
}
