namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// Finds and reads what the user named: files, folders (recursively: .yaml, .yml, .json, in ordinal
/// order so output is stable), and <c>-</c> for stdin. Each file is parsed on its own, so one broken
/// file is reported with its position and the others are still linted.
/// </summary>
internal sealed class InputReader(Func<Stream> openStandardInput)
{
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    // Symbolic links inside folders are not followed (a link cycle would never end); hidden entries such
    // as .git are skipped. A link named on the command line is read.
    private static readonly EnumerationOptions FolderWalk = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
    };

    /// <summary>The files read, the documents of every readable one, and an error per unusable one.</summary>
    public (List<SourceFile> Files, List<ManifestDocument> Documents, List<LintInputException> Errors) Read(IEnumerable<string> paths)
    {
        var files = new List<SourceFile>();
        var documents = new List<ManifestDocument>();
        var errors = new List<LintInputException>();
        foreach (var loaded in Load(paths, errors))
        {
            documents.AddRange(loaded.Documents);
            files.Add(loaded.File);
        }
        return (files, documents, errors);
    }

    /// <summary>
    /// Reads each file in turn with its bytes and decoded text (what <c>lameduck inject</c> writes back);
    /// unusable inputs are added to <paramref name="errors"/> and skipped. One file is held at a time.
    /// </summary>
    public IEnumerable<LoadedFile> Load(IEnumerable<string> paths, List<LintInputException> errors)
    {
        foreach (var file in Discover(paths, errors))
        {
            LoadedFile loaded;
            try
            {
                var bytes = file == SourceFile.StandardInput ? ReadBounded(openStandardInput(), file) : ReadFile(file);
                var text = TextDecoder.Decode(file, bytes);
                loaded = new LoadedFile(file, bytes, text, YamlLoader.Load(file, text));
            }
            catch (LintInputException e)
            {
                errors.Add(e);
                continue;
            }
            yield return loaded;
        }
    }

    private static IEnumerable<SourceFile> Discover(IEnumerable<string> paths, List<LintInputException> errors)
    {
        foreach (var path in paths)
        {
            if (path == "-")
            {
                yield return SourceFile.StandardInput;
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", FolderWalk)
                    .Where(f => ManifestExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    errors.Add(new LintInputException(path, 1, "folder holds no .yaml, .yml or .json file"));
                }
                foreach (var f in found) yield return new SourceFile(f.Replace('\\', '/'));
            }
            else if (File.Exists(path))
            {
                yield return new SourceFile(path);
            }
            else
            {
                errors.Add(new LintInputException(path, 1, "no such file or folder"));
            }
        }
    }

    private static byte[] ReadFile(SourceFile file)
    {
        try
        {
            var length = new FileInfo(file.DisplayPath).Length;
            if (length > InputLimits.MaxFileBytes) throw TooLarge(file, length);
            return File.ReadAllBytes(file.DisplayPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LintInputException(file.DisplayPath, 1, "cannot read: " + e.Message);
        }
    }

    private static byte[] ReadBounded(Stream stream, SourceFile file)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > InputLimits.MaxFileBytes) throw TooLarge(file, buffer.Length + read);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static LintInputException TooLarge(SourceFile file, long length) =>
        new(file.DisplayPath, 1,
            $"{length / (1024.0 * 1024):0.#} MiB is over the {InputLimits.MaxFileBytes / (1024 * 1024)} MiB limit for one manifest file; split it");
}

/// <summary>One input file: its bytes as read, its decoded text (node positions index into it) and its documents.</summary>
internal sealed record LoadedFile(SourceFile File, byte[] Bytes, string Text, List<ManifestDocument> Documents);
