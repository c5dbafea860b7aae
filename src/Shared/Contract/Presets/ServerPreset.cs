namespace Lameduck.Contract.Presets;

/// <summary>
/// A server that SIGTERM stops abruptly and that lameduck-init has a preset for: the signal that stops it
/// gracefully, the program names that start it, the official images that ship it, and how a preStop hook
/// would stop it by hand. One record per server in <see cref="ServerPresets"/>.
/// </summary>
/// <param name="Name">The preset's name, as <c>lameduck-init --preset</c> takes it: <c>nginx</c>, <c>php-fpm</c>, <c>haproxy</c>, <c>apache</c>.</param>
/// <param name="DisplayName">How messages name the server: <c>nginx</c>, <c>php-fpm</c>, <c>HAProxy</c>, <c>Apache httpd</c>.</param>
/// <param name="GracefulStopSignal">The signal that drains it (Linux number): nginx and php-fpm QUIT, HAProxy USR1, Apache WINCH.</param>
/// <param name="GracefulCommand">A command that sends it from inside the container, for fix texts: <c>nginx -s quit</c>.</param>
/// <param name="Images">The official images that run it, and how.</param>
internal sealed record ServerPreset(string Name, string DisplayName, int GracefulStopSignal, string GracefulCommand, OfficialImage[] Images);
