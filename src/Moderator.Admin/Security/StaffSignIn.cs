using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Moderator.Core.Workflow;
using Npgsql;

namespace Moderator.Admin.Security;

public enum SignInOutcome
{
    SignedIn,
    Failed,
    LockedOut,
}

public sealed record SignInAttempt(SignInOutcome Outcome, ClaimsPrincipal? Principal, bool MustChangePassword);

/// <summary>
/// Local sign-in against the named staff accounts: the password check, the failure count and lockout (kept by the
/// workflow's StaffDirectory, which audits them), and the principal with roles and schools as claims.
/// </summary>
public sealed partial class StaffSignIn(StaffDirectory directory, StaffPasswords passwords, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<StaffSignIn> logger)
{
    public async Task<SignInAttempt> PasswordSignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        var failed = new SignInAttempt(SignInOutcome.Failed, null, false);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password))
        {
            return failed;
        }

        var staff = await directory.FindBySignInNameAsync(name, cancellationToken);
        if (staff is null || !staff.Active || staff.PasswordHash is null)
        {
            passwords.VerifyNothing(password);
            return failed;
        }

        if (staff.IsLockedOut(clock.GetUtcNow()))
        {
            passwords.VerifyNothing(password);
            LogRefusedLocked(logger, staff.Id);
            return new SignInAttempt(SignInOutcome.LockedOut, null, false);
        }

        var result = passwords.Verify(staff, password);
        if (result == PasswordVerificationResult.Failed)
        {
            var failure = await directory.RecordSignInFailureAsync(staff.Id, cancellationToken);
            return failure.LockedUntil is { } until && until > clock.GetUtcNow()
                ? new SignInAttempt(SignInOutcome.LockedOut, null, false)
                : failed;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await directory.SetPasswordHashAsync(staff.Id, passwords.Hash(password), staff.MustChangePassword, Actor.Staff(staff.Id), cancellationToken);
        }

        await directory.RecordSignInSuccessAsync(staff.Id, cancellationToken);
        LogSignedIn(logger, staff.Id);
        var principal = await PrincipalForAsync(staff.Id, cancellationToken);
        return new SignInAttempt(SignInOutcome.SignedIn, principal, staff.MustChangePassword);
    }

    /// <summary>
    /// Single sign-on onto an existing account only: by the provider's subject once linked, otherwise by a verified
    /// e-mail address of an account not yet linked to any provider (then linked, audited). Nobody registers this way.
    /// </summary>
    public async Task<SignInAttempt> ExternalSignInAsync(string provider, string? subject, string? email, bool emailVerified, CancellationToken cancellationToken)
    {
        var failed = new SignInAttempt(SignInOutcome.Failed, null, false);
        if (string.IsNullOrWhiteSpace(subject))
        {
            return failed;
        }

        var staff = await directory.FindByExternalLoginAsync(provider, subject, cancellationToken);
        if (staff is null && emailVerified && !string.IsNullOrWhiteSpace(email))
        {
            var byEmail = await directory.FindBySignInNameAsync(email, cancellationToken);
            if (byEmail is not null && byEmail.ExternalProvider is null && string.Equals(byEmail.Email, email.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                await directory.LinkExternalLoginAsync(byEmail.Id, provider, subject, Actor.Staff(byEmail.Id), cancellationToken);
                staff = byEmail;
            }
        }

        if (staff is null || !staff.Active)
        {
            LogExternalRefused(logger, provider);
            return failed;
        }

        if (staff.IsLockedOut(clock.GetUtcNow()))
        {
            return new SignInAttempt(SignInOutcome.LockedOut, null, false);
        }

        await directory.RecordSignInSuccessAsync(staff.Id, cancellationToken);
        LogSignedIn(logger, staff.Id);
        return new SignInAttempt(SignInOutcome.SignedIn, await PrincipalForAsync(staff.Id, cancellationToken, viaSingleSignOn: true), false);
    }

    /// <summary>A fresh principal from the account as it is now (after a password change, for instance).</summary>
    public async Task<ClaimsPrincipal> PrincipalForAsync(Guid staffId, CancellationToken cancellationToken, bool viaSingleSignOn = false)
    {
        var staff = await directory.GetAsync(staffId, cancellationToken);
        var stamp = await StampAsync(staffId, cancellationToken);
        return AdminClaims.For(staff, stamp?.Version ?? 0, CookieAuthenticationDefaults.AuthenticationScheme, viaSingleSignOn);
    }

    /// <summary>
    /// Checked on every request: a session ends when its account is deactivated, locked or changed (password, roles)
    /// since the cookie was issued.
    /// </summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is not { } user || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var staffId))
        {
            context.RejectPrincipal();
            return;
        }

        var stamp = await StampAsync(staffId, context.HttpContext.RequestAborted);
        if (stamp is null || !stamp.Active || stamp.Version != user.StampValue() || (stamp.LockedUntil is { } until && until > clock.GetUtcNow()))
        {
            LogSessionEnded(logger, staffId);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private async Task<AccountStamp?> StampAsync(Guid staffId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AccountStamp>(new CommandDefinition(
            "SELECT version AS Version, active AS Active, locked_until AS LockedUntil FROM staff_members WHERE id = @staffId",
            new { staffId },
            cancellationToken: cancellationToken));
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Staff {StaffId} signed in")]
    private static partial void LogSignedIn(ILogger logger, Guid staffId);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Sign-in refused for locked account {StaffId}")]
    private static partial void LogRefusedLocked(ILogger logger, Guid staffId);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Session of staff {StaffId} ended: the account changed")]
    private static partial void LogSessionEnded(ILogger logger, Guid staffId);

    [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Single sign-on through {Provider} refused: no matching active staff account")]
    private static partial void LogExternalRefused(ILogger logger, string provider);

    private sealed class AccountStamp
    {
        public int Version { get; init; }

        public bool Active { get; init; }

        public DateTime? LockedUntil { get; init; }
    }
}
