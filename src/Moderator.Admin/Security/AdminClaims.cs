using System.Globalization;
using System.Security.Claims;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Security;

/// <summary>The claims a signed-in member of staff carries: who, which roles, which schools, which trust.</summary>
public static class AdminClaims
{
    public const string School = "moderator:school";
    public const string Trust = "moderator:trust";
    public const string MustChangePassword = "moderator:must_change_password";

    /// <summary>The account's version when the cookie was issued: a change (password, deactivation) ends old sessions.</summary>
    public const string Stamp = "moderator:stamp";

    public static ClaimsPrincipal For(StaffMember staff, int stamp, string authenticationType, bool viaSingleSignOn = false)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, staff.Id.ToString()),
            new(ClaimTypes.Name, staff.DisplayName),
            new(Trust, staff.TrustId.ToString()),
            new(Stamp, stamp.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(staff.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        claims.AddRange(staff.SchoolIds.Select(s => new Claim(School, s.ToString())));
        if (staff.MustChangePassword && !viaSingleSignOn)
        {
            claims.Add(new Claim(MustChangePassword, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static Guid StaffId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("The user is not signed in.");
    }

    public static Actor Actor(this ClaimsPrincipal user) => Core.Workflow.Actor.Staff(user.StaffId());

    public static IReadOnlyList<Guid> SchoolIds(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return [.. user.FindAll(School).Select(c => Guid.Parse(c.Value)).Order()];
    }

    public static bool BelongsTo(this ClaimsPrincipal user, Guid schoolId) => user.SchoolIds().Contains(schoolId);

    public static bool Has(this ClaimsPrincipal user, StaffRole role)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(role.ToString());
    }

    public static bool IsSafeguardingLeadOrDeputy(this ClaimsPrincipal user) =>
        user.Has(StaffRole.SafeguardingLead) || user.Has(StaffRole.DeputySafeguardingLead);

    public static int StampValue(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return int.TryParse(user.FindFirstValue(Stamp), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp) ? stamp : -1;
    }
}
