package dev.keel.registry.approval;

import dev.keel.api.registry.RiskTier;
import dev.keel.core.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per risk tier, the automatic checks a version must pass and how many people must approve it.
 * Read from YAML and checked completely when loaded, so a mistake in the policy stops the
 * start-up instead of surfacing at someone's approval. {@code source} says where it came from;
 * {@code gate} says whether direct stage changes and protected aliases are refused (auto unless
 * the policy says otherwise: see {@link ApprovalGate}).
 */
public record ApprovalPolicy(String source, Map<RiskTier, TierPolicy> tiers, ApprovalGate gate) {
    /** The file name looked for in KEEL_HOME. */
    public static final String FILE_NAME = "approval-policy.yaml";
    private static final String DEFAULT_RESOURCE = "approval-policy.yaml";

    public ApprovalPolicy {
        Objects.requireNonNull(source, "source");
        EnumMap<RiskTier, TierPolicy> copy = new EnumMap<>(RiskTier.class);
        copy.putAll(tiers);
        for (RiskTier tier : RiskTier.values()) {
            if (copy.get(tier) == null) {
                throw KeelException.invalid("approval policy " + source + ": missing tier '" + ApprovalPolicyFile.name(tier) + "'");
            }
        }
        tiers = java.util.Collections.unmodifiableMap(copy);
        gate = gate == null ? ApprovalGate.AUTO : gate;
    }

    /** A policy whose gate is auto: on where sign-in is required. */
    public ApprovalPolicy(String source, Map<RiskTier, TierPolicy> tiers) {
        this(source, tiers, ApprovalGate.AUTO);
    }

    /** This policy with {@code gate} instead of its own. */
    public ApprovalPolicy withGate(ApprovalGate gate) {
        return new ApprovalPolicy(source, tiers, gate);
    }

    public TierPolicy tier(RiskTier tier) {
        return tiers.get(tier);
    }

    /** The policy Keel ships: card sections, signature and digests per tier, two approvers for high. */
    public static ApprovalPolicy defaults() {
        try (InputStream in = ApprovalPolicy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default approval policy resource is missing from the build");
            }
            return parse("classpath:dev/keel/registry/approval/" + DEFAULT_RESOURCE,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code keelHome/approval-policy.yaml} when it exists, otherwise {@link #defaults()}. */
    public static ApprovalPolicy inHome(Path keelHome) {
        Path file = keelHome.resolve(FILE_NAME);
        return Files.exists(file) ? load(file) : defaults();
    }

    /** The policy in {@code file}; a 400 naming the file, the tier and the check when anything is wrong. */
    public static ApprovalPolicy load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw KeelException.invalid("approval policy " + file + " cannot be read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** The policy in {@code yaml}, with {@code source} (a path, usually) named in every error. */
    public static ApprovalPolicy parse(String source, String yaml) {
        return new ApprovalPolicyFile(source).read(yaml);
    }
}
