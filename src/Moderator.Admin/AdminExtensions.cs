using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderator.Admin.Infrastructure;
using Moderator.Admin.Security;
using Moderator.Core.Hosting;
using Moderator.Core.Platforms;
using Moderator.Admin.Webhooks;
using Moderator.Core.Security;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Npgsql;
using Serilog;

namespace Moderator.Admin;

public static class AdminApp
{
    /// <summary>
    /// A builder whose application is Moderator.Admin even when another process hosts it (the `moderator demo`
    /// command), so Razor Pages and other parts are found in this assembly.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ApplicationName = typeof(AdminApp).Assembly.GetName().Name,
    });
}

public static class AdminExtensions
{
    /// <summary>
    /// Connects to the database (the configured one, or a private embedded cluster) and registers every Admin
    /// feature. The returned handle stops the embedded cluster when disposed. With <paramref name="sharedDatabase"/>
    /// (the demo) the caller owns the database and has migrated it.
    /// </summary>
    public static async Task<DatabaseConnection> AddAdminAsync(this WebApplicationBuilder builder, DatabaseConnection? sharedDatabase = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(ModeratorLogging.CreateLogger(builder.Configuration, "admin"), dispose: true);
        using var bootstrapLogging = LoggerFactory.Create(b => b.AddSerilog(ModeratorLogging.CreateLogger(builder.Configuration, "admin")));
        var database = sharedDatabase ?? await DatabaseConnection.OpenAsync(builder.Configuration, bootstrapLogging);
        builder.Services.AddModeratorStorage(database.ConnectionString, migrateOnStart: sharedDatabase is null);
        builder.Services.AddModeratorWorkflow();

        // The key ring lives in the database: sessions survive restarts and work across Admin instances, and page
        // credentials encrypted here can be read by the worker.
        builder.Services.AddModeratorDataProtection();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddMetaWebhooks(builder.Configuration);

        // The pages list shows each page's effective poll interval and worst-case detection delay, planned as the worker plans.
        builder.Services.AddPollingBudget(builder.Configuration);
        var singleSignOn = builder.Configuration.GetSection(SingleSignOnOptions.SectionName).Get<SingleSignOnOptions>() ?? new SingleSignOnOptions();
        builder.Services.AddAdminWeb(singleSignOn);
        return database;
    }

    public static WebApplication MapAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseAdminSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/Status/{0}");
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAdminAssets();
        app.MapRazorPages();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapMetaWebhooks();
        return app;
    }

    private static void AddAdminWeb(this IServiceCollection services, SingleSignOnOptions singleSignOn)
    {
        services.AddSingleton(singleSignOn);
        DapperTimestamps.Register();
        services.AddSingleton<StaffPasswords>();
        services.AddSingleton<Pages.Queue.QueueReader>();
        services.AddSingleton<Pages.Queue.CaseReader>();
        services.AddSingleton<Pages.Escalations.EscalationReader>();
        services.AddSingleton<Pages.Escalations.EvidencePackBuilder>();
        services.AddSingleton<Pages.Audit.AuditSearch>();
        services.AddSingleton<Pages.Dashboard.DashboardQuery>();
        services.AddScoped<StaffSignIn>();
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "moderator.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Strict unless single sign-on is on: the return from the identity provider is a cross-site
                // navigation, and a Strict cookie set there would not be sent on the redirect that follows.
                o.Cookie.SameSite = singleSignOn.AnyEnabled ? SameSiteMode.Lax : SameSiteMode.Strict;
                o.LoginPath = "/Account/SignIn";
                o.LogoutPath = "/Account/SignOut";
                o.AccessDeniedPath = "/Account/AccessDenied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<StaffSignIn>().ValidateAsync(context);
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    // Someone still holding an initial password is sent to change it; anyone else gets a plain 403
                    // (rendered by the status page), not a redirect, so the address stays what was refused.
                    if (context.HttpContext.User.HasClaim(AdminClaims.MustChangePassword, "true"))
                    {
                        context.Response.Redirect("/Account/ChangePassword");
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    }

                    return Task.CompletedTask;
                };
            })
            .AddSingleSignOn(singleSignOn);
        services.AddAuthorization(AdminPolicies.Add);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "moderator.antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__rvt";
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddRazorPages(o =>
            {
                o.Conventions.AllowAnonymousToPage("/Account/SignIn");
                o.Conventions.AllowAnonymousToPage("/Status");
                o.Conventions.AllowAnonymousToPage("/Account/External");
                o.Conventions.AuthorizePage("/Account/ChangePassword", AdminPolicies.SignedIn);
                o.Conventions.AuthorizePage("/Account/SignOut", AdminPolicies.SignedIn);
                o.Conventions.AuthorizeFolder("/Queue", AdminPolicies.Moderation);
                o.Conventions.AuthorizeFolder("/Escalations", AdminPolicies.Safeguarding);
                o.Conventions.AuthorizeFolder("/Admin", AdminPolicies.Administration);
                o.Conventions.AuthorizeFolder("/Audit", AdminPolicies.Oversight);
            })
            .AddMvcOptions(o => o.Filters.Add<WorkflowExceptionFilter>())
            .ConfigureApplicationPartManager(parts =>
            {
                // Found by the application name already; added when another process hosts Admin under its own name.
                var admin = typeof(AdminApp).Assembly;
                if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == admin))
                {
                    parts.ApplicationParts.Add(new AssemblyPart(admin));
                }
            });
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException e)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", e);
            }
        }
    }
}
