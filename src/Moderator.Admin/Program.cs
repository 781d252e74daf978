using Moderator.Admin;

var builder = AdminApp.CreateBuilder(args);
await using var database = await builder.AddAdminAsync();
var app = builder.Build();
app.MapAdmin();
await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
