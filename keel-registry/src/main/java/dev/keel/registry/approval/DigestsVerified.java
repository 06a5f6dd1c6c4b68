package dev.keel.registry.approval;

/** Every file of the version still hashes to its manifest digest: what is approved is what was registered. */
public record DigestsVerified() implements Check {
    @Override
    public String describe() {
        return "digests_verified";
    }

    @Override
    public CheckResult evaluate(CheckContext context) {
        DigestVerification verification = context.digests();
        if (verification instanceof DigestVerification.Verified verified) {
            return CheckResult.passed(this, "all " + Figures.count(verified.files(), "file")
                    + " match their manifest digests");
        }
        DigestVerification.Mismatch mismatch = (DigestVerification.Mismatch) verification;
        return CheckResult.failed(this, mismatch.reason());
    }
}
