using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Moderator.Admin.Security;

/// <summary>
/// The stylesheet (and any script) compiled into this assembly as resources, served from memory: Admin may be hosted
/// by another process (the demo command) where no wwwroot folder exists. Urls carry a content hash for caching.
/// </summary>
public static class AdminAssets
{
    public const string PathPrefix = "/assets";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static string Url(string name) =>
        Assets.TryGetValue(name, out var asset) ? $"{PathPrefix}/{name}?v={asset.Version}" : throw new ArgumentException($"No asset named {name}.", nameof(name));

    public static IEndpointRouteBuilder MapAdminAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PathPrefix + "/{name}", (string name, HttpContext context) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            var headers = context.Response.GetTypedHeaders();
            headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromDays(365) };
            return Results.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue($"\"{asset.Version}\""));
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(AdminAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("assets/", StringComparison.Ordinal)))
        {
            var name = resource["assets/".Length..];
            var content = Read(assembly, resource);
            var version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
            var contentType = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".ico" => "image/x-icon",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(content, contentType, version);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
