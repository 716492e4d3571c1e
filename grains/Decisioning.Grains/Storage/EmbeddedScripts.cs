namespace Decisioning.Grains.Storage;

/// <summary>The Lua scripts, each a .lua file beside the code that builds its arguments, embedded under its file name.</summary>
internal static class EmbeddedScripts
{
    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded script {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
