using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FromScratch.Notebooks.Format;

/// <summary>
/// A Jupyter notebook (nbformat 4) held as its JSON tree, so every field this tool does not
/// understand (metadata, attachments, ids, unknown members) survives a round trip unchanged.
/// Only cell outputs and execution counts are ever rewritten.
/// </summary>
public sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        // Jupyter writes one-space indentation and keeps non-ASCII text as it is.
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private NotebookDocument(JsonObject root, string path)
    {
        Root = root;
        Path = path;
    }

    /// <summary>The whole notebook JSON tree.</summary>
    public JsonObject Root { get; }

    /// <summary>The file this notebook was read from (used in messages).</summary>
    public string Path { get; }

    /// <summary>The notebook's cells, in order.</summary>
    public IReadOnlyList<NotebookCell> Cells => Root["cells"]!.AsArray().Select(c => new NotebookCell(c!.AsObject())).ToList();

    /// <summary>The notebook-level metadata object (created when missing).</summary>
    public JsonObject Metadata => GetOrAddObject(Root, "metadata");

    /// <summary>Reads a notebook file; malformed JSON or a non-notebook becomes a <see cref="NotebookFormatException"/> naming the file and the position.</summary>
    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path))
            throw new NotebookFormatException($"{path}: file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses notebook JSON text; <paramref name="path"/> is only used in messages.</summary>
    public static NotebookDocument Parse(string json, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            // JsonException positions are 0-based; editors count from 1.
            long line = (e.LineNumber ?? 0) + 1, column = (e.BytePositionInLine ?? 0) + 1;
            // Keep System.Text.Json's description of the problem, not its position suffix or its advice to programmers.
            string reason = e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].Split(" Change the reader options", 2)[0]
                .Replace(" which is not supported in this mode", "", StringComparison.Ordinal).TrimEnd('.', ' ');
            throw new NotebookFormatException($"{path}: malformed notebook JSON at line {line}, column {column}: {reason}");
        }
        if (node is not JsonObject root)
            throw new NotebookFormatException($"{path}: not a notebook: the top-level JSON value is not an object");
        if (root["cells"] is not JsonArray cells)
            throw new NotebookFormatException($"{path}: not a notebook: there is no \"cells\" array");
        if (root["nbformat"] is JsonValue major && major.TryGetValue(out int nbformat) && nbformat != 4)
            throw new NotebookFormatException($"{path}: nbformat {nbformat} is not supported (only nbformat 4)");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"] is not JsonValue)
                throw new NotebookFormatException($"{path}: cell {i + 1} is not an object with a \"cell_type\"");
        }
        return new NotebookDocument(root, path);
    }

    /// <summary>
    /// Brings the document to nbformat 4.5: sets the version and gives every cell that lacks one
    /// a unique id (4.5 requires ids). Existing ids are kept.
    /// </summary>
    public void NormalizeToNbformat45()
    {
        Root["nbformat"] = 4;
        int minor = Root["nbformat_minor"] is JsonValue v && v.TryGetValue(out int m) ? m : 0;
        Root["nbformat_minor"] = Math.Max(minor, 5);
        var used = new HashSet<string>(Cells.Select(c => c.Id).OfType<string>());
        int next = 1;
        foreach (var cell in Cells)
        {
            if (cell.Id is not null) continue;
            string id;
            do id = $"cell-{next++}"; while (!used.Add(id));
            cell.Json["id"] = id;
        }
    }

    /// <summary>Inserts a new cell object at <paramref name="index"/>.</summary>
    public NotebookCell InsertCell(int index, JsonObject cell)
    {
        Root["cells"]!.AsArray().Insert(index, cell);
        return new NotebookCell(cell);
    }

    /// <summary>Removes the cell at <paramref name="index"/>.</summary>
    public void RemoveCellAt(int index) => Root["cells"]!.AsArray().RemoveAt(index);

    /// <summary>The notebook as Jupyter-style JSON text (one-space indent, trailing newline).</summary>
    public string ToJson() => Root.ToJsonString(WriteOptions) + "\n";

    /// <summary>Writes the notebook atomically: a temporary file in the same folder, then a rename.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Splits text into Jupyter's list-of-lines form: every line keeps its "\n" except the last.</summary>
    public static JsonArray ToLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            lines.Add(text[start..(i + 1)]);
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return lines;
    }

    /// <summary>Reads an nbformat "multiline string": a string or a list of strings.</summary>
    public static string FromMultiline(JsonNode? node) => node switch
    {
        null => "",
        JsonArray parts => string.Concat(parts.Select(p => p?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => throw new NotebookFormatException($"expected a string or a list of strings, got {node.ToJsonString()}"),
    };

    internal static JsonObject GetOrAddObject(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }
}

/// <summary>One cell of a <see cref="NotebookDocument"/>, a view over its JSON object.</summary>
public sealed class NotebookCell(JsonObject json)
{
    /// <summary>The cell's JSON object (unknown members are kept).</summary>
    public JsonObject Json { get; } = json;

    /// <summary>"code", "markdown" or "raw".</summary>
    public string CellType => Json["cell_type"]?.GetValue<string>() ?? "";

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The cell id (nbformat 4.5), or null when the cell has none.</summary>
    public string? Id => Json["id"] is JsonValue v && v.TryGetValue(out string? id) ? id : null;

    /// <summary>The cell source as one string, whether stored as a string or as a list of lines.</summary>
    public string Source
    {
        get => NotebookDocument.FromMultiline(Json["source"]);
        set => Json["source"] = NotebookDocument.ToLines(value);
    }

    /// <summary>The cell's tags (metadata.tags).</summary>
    public IReadOnlyList<string> Tags =>
        Json["metadata"]?["tags"] is JsonArray tags ? tags.Select(t => t?.GetValue<string>() ?? "").ToList() : [];

    /// <summary>Replaces the outputs and the execution count of a code cell.</summary>
    public void SetOutputs(JsonArray outputs, int? executionCount)
    {
        Json["outputs"] = outputs;
        Json["execution_count"] = executionCount;
    }
}

/// <summary>A notebook file that cannot be read: the message names the file and the problem, on one line.</summary>
public sealed class NotebookFormatException(string message) : Exception(message);

/// <summary>Atomic file writes: a temporary file beside the target, then a rename over it.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
