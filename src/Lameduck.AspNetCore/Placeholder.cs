namespace Lameduck.AspNetCore; internal static class Placeholder {}
