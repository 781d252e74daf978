using Microsoft.AspNetCore.Identity;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Security;

/// <summary>Password hashing with ASP.NET Core Identity's hasher (PBKDF2, versioned format), and the password rules.</summary>
public sealed class StaffPasswords
{
    public const int MinimumLength = 12;

    private static readonly StaffMember Nobody = new(Guid.Empty, Guid.Empty, "-", "-", "-", new HashSet<StaffRole>(), new HashSet<Guid>(), false, null, false, 0, null, null, null);

    private readonly PasswordHasher<StaffMember> _hasher = new();
    private readonly string _dummyHash;

    public StaffPasswords()
    {
        _dummyHash = _hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
    }

    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return _hasher.HashPassword(Nobody, password);
    }

    public PasswordVerificationResult Verify(StaffMember staff, string password)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return staff.PasswordHash is null || string.IsNullOrEmpty(password)
            ? PasswordVerificationResult.Failed
            : _hasher.VerifyHashedPassword(staff, staff.PasswordHash, password);
    }

    /// <summary>Spends the same time as a real check, so an unknown username cannot be told apart by timing.</summary>
    public void VerifyNothing(string password) => _hasher.VerifyHashedPassword(Nobody, _dummyHash, password ?? string.Empty);

    /// <summary>Why a new password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string newPassword, string username)
    {
        if (string.IsNullOrEmpty(newPassword) || newPassword.Length < MinimumLength)
        {
            return $"Use at least {MinimumLength} characters (a short sentence is easy to remember).";
        }

        if (!string.IsNullOrEmpty(username) && newPassword.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not contain your username.";
        }

        return newPassword.Distinct().Count() < 5 ? "The password is too repetitive." : null;
    }
}
