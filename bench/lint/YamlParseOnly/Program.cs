using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

// The peer of the lint benchmark: YamlDotNet parsing a file and nothing else.
//   events FILE  runs the event parser over every document (what lameduck lint builds its nodes from)
//   tree FILE    loads every document into YamlDotNet's RepresentationModel (YamlStream)
// Prints the event or document count so the work cannot be optimised away.
if (args.Length != 2 || args[0] is not ("events" or "tree"))
{
    Console.Error.WriteLine("usage: YamlParseOnly events|tree FILE");
    return 2;
}
var text = File.ReadAllText(args[1]);
if (args[0] == "events")
{
    var parser = new Parser(new StringReader(text));
    long events = 0;
    while (parser.MoveNext()) events++;
    Console.WriteLine($"{events} events");
}
else
{
    var stream = new YamlStream();
    stream.Load(new StringReader(text));
    Console.WriteLine($"{stream.Documents.Count} documents");
}
return 0;
