namespace Lameduck.Cli.Lint.Input;

/// <summary>
/// Finds and reads what the user named: files, folders (recursively: .yaml, .yml, .json, in ordinal
/// order so output is stable), and <c>-</c> for stdin. Each file is parsed on its own, so one broken
/// file is reported with its position and the others are still linted.
/// </summary>
internal sealed class InputReader(Func<Stream> openStandardInput, PathFilter? exclude = null)
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

    /// <summary>
    /// The files read, the documents of every readable one, an error per path that names nothing usable (a missing
    /// path, a folder without manifests) and one per file whose content cannot be read (not YAML, too large...).
    /// </summary>
    public InputRead Read(IEnumerable<string> paths)
    {
        var files = new List<SourceFile>();
        var documents = new List<ManifestDocument>();
        var naming = new List<LintInputException>();
        var unreadable = new List<LintInputException>();
        foreach (var loaded in Load(paths, naming, unreadable))
        {
            documents.AddRange(loaded.Documents);
            files.Add(loaded.File);
        }
        return new InputRead(files, documents, naming, unreadable, _excluded);
    }

    private int _excluded;

    /// <summary>
    /// Reads each file in turn with its bytes and decoded text (what <c>lameduck inject</c> writes back);
    /// unusable inputs are added to <paramref name="errors"/> and skipped. One file is held at a time.
    /// </summary>
    public IEnumerable<LoadedFile> Load(IEnumerable<string> paths, List<LintInputException> errors) => Load(paths, errors, errors);

    private IEnumerable<LoadedFile> Load(IEnumerable<string> paths, List<LintInputException> errors, List<LintInputException> unreadable)
    {
        foreach (var file in Discover(paths, errors))
        {
            LoadedFile loaded;
            try
            {
                var bytes = file.IsStandardInput ? ReadBounded(openStandardInput(), file) : ReadFile(file);
                var text = TextDecoder.Decode(file, bytes);
                loaded = new LoadedFile(file, bytes, text, YamlLoader.Load(file, text));
            }
            catch (LintInputException e)
            {
                unreadable.Add(e);
                continue;
            }
            yield return loaded;
        }
    }

    private IEnumerable<SourceFile> Discover(IEnumerable<string> paths, List<LintInputException> errors)
    {
        int set = -1;
        foreach (var path in paths)
        {
            set++;
            if (path == "-")
            {
                yield return SourceFile.StandardInput with { InputSet = set };
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
                foreach (var f in found.Select(f => f.Replace('\\', '/')))
                {
                    if (exclude?.Matches(f) == true) _excluded++;
                    else yield return new SourceFile(f, set);
                }
            }
            else if (File.Exists(path))
            {
                if (exclude?.Matches(path) == true) _excluded++;
                else yield return new SourceFile(path, set);
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

/// <summary>What <see cref="InputReader.Read"/> found.</summary>
/// <param name="Files">The files read.</param>
/// <param name="Documents">Their YAML documents.</param>
/// <param name="NamingErrors">Paths that name nothing usable (always exit 2).</param>
/// <param name="UnreadableFiles">Files whose content cannot be linted (exit 2 only with <c>--strict</c>).</param>
/// <param name="Excluded">Files left out by <c>--exclude</c>.</param>
internal sealed record InputRead(
    List<SourceFile> Files, List<ManifestDocument> Documents, List<LintInputException> NamingErrors,
    List<LintInputException> UnreadableFiles, int Excluded);

/// <summary>One input file: its bytes as read, its decoded text (node positions index into it) and its documents.</summary>
internal sealed record LoadedFile(SourceFile File, byte[] Bytes, string Text, List<ManifestDocument> Documents);
