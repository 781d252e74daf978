using Microsoft.AspNetCore.Authorization;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Security;

/// <summary>
/// Who may open which part of Admin. Every page has a policy (the fallback covers any page without one); school
/// scope is checked by each page against the entity it shows, and again by the workflow services.
/// </summary>
public static class AdminPolicies
{
    /// <summary>Any signed-in member of staff whose initial password has been changed (the fallback policy).</summary>
    public const string Staff = "Staff";

    /// <summary>Signed in, possibly still holding the initial password: only the change-password page and sign-out.</summary>
    public const string SignedIn = "SignedIn";

    public const string Moderation = "Moderation";

    /// <summary>The school's DSL and deputies.</summary>
    public const string Safeguarding = "Safeguarding";

    public const string Administration = "Administration";

    /// <summary>The audit log: administrators and safeguarding leads.</summary>
    public const string Oversight = "Oversight";

    public static AuthorizationPolicy StaffPolicy { get; } = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireAssertion(c => !c.User.HasClaim(AdminClaims.MustChangePassword, "true"))
        .Build();

    public static void Add(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.FallbackPolicy = StaffPolicy;
        options.AddPolicy(Staff, StaffPolicy);
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Moderation, p => p.Combine(StaffPolicy).RequireRole(nameof(StaffRole.Moderator)));
        options.AddPolicy(Safeguarding, p => p.Combine(StaffPolicy).RequireRole(nameof(StaffRole.SafeguardingLead), nameof(StaffRole.DeputySafeguardingLead)));
        options.AddPolicy(Administration, p => p.Combine(StaffPolicy).RequireRole(nameof(StaffRole.Administrator)));
        options.AddPolicy(Oversight, p => p.Combine(StaffPolicy).RequireRole(nameof(StaffRole.Administrator), nameof(StaffRole.SafeguardingLead), nameof(StaffRole.DeputySafeguardingLead)));
    }
}
