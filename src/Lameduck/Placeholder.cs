namespace Lameduck; internal static class Placeholder {}
