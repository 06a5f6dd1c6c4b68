package dev.keel.server.contract;

import dev.keel.api.access.AccessService;
import dev.keel.api.access.ApiToken;
import dev.keel.api.access.Grant;
import dev.keel.api.access.IssuedToken;
import dev.keel.api.access.User;
import dev.keel.api.registry.NewRegisteredModel;
import dev.keel.client.KeelClient;
import dev.keel.core.Actor;
import dev.keel.core.ErrorCode;
import dev.keel.core.Permission;
import dev.keel.core.Resource;
import dev.keel.core.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static dev.keel.store.Failures.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@link AccessService} promises, run on every {@link Backend} with sign-in required:
 * an admin creates a user and their token, the user signs in with it, grants on what they
 * created, and revokes their own token; the others' refusals arrive with the service's code and
 * reason. Over HTTP the SDK sends the token; in-process the platform checks it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AccessContract extends ContractSuite {
    private static final Actor ADMIN = Deployment.ADMIN;
    private static final Actor MIKE = new Actor("mike");
    private static final Actor BOB = new Actor("bob");

    @Override
    protected Deployment.Setup setup() {
        return Deployment.Setup.signedIn(Map.of(MIKE.name(), Role.MEMBER));
    }

    private AccessService access(Actor who) {
        return deployment().as(who.name()).access();
    }

    /** Access as the holder of {@code secret}, who is {@code holder}: the SDK sending it, or in-process the platform once it authenticates. */
    private AccessService signedInWith(String secret, Actor holder) {
        if (backend.http()) {
            return KeelClient.connect(deployment().server().uri(), secret).access();
        }
        assertThat(deployment().platform().access().authenticateToken(secret)).contains(holder);
        return deployment().platform().access();
    }

    @Test
    void an_admin_creates_a_user_and_a_token_the_user_signs_in_with() {
        AccessService admin = access(ADMIN);
        User bob = admin.createUser(ADMIN, "bob", null, Role.MEMBER);
        assertThat(bob.name()).isEqualTo("bob");
        assertThat(bob.role()).isEqualTo(Role.MEMBER);
        assertThat(bob.hasPassword()).isFalse();
        assertThat(admin.listUsers(ADMIN)).isEqualTo(deployment().platform().access().listUsers(ADMIN))
                .extracting(User::name).contains("admin", "bob", "mike");
        assertThat(admin.createUser(ADMIN, "pat", "a long password", Role.VIEWER).hasPassword()).isTrue();

        IssuedToken issued = admin.createToken(ADMIN, "bob", "ci", null);
        assertThat(issued.secret()).startsWith("keel_");
        assertThat(issued.token().userName()).isEqualTo("bob");
        AccessService asBob = signedInWith(issued.secret(), BOB);
        assertThat(asBob.listTokens(BOB, null)).extracting(ApiToken::tokenId).containsExactly(issued.token().tokenId());
        assertThat(admin.listTokens(ADMIN, "bob")).extracting(ApiToken::description).containsExactly("ci");

        IssuedToken own = asBob.createToken(BOB, null, "laptop", System.currentTimeMillis() + 86_400_000L);
        assertThat(own.token().userName()).isEqualTo("bob");
        asBob.revokeToken(BOB, issued.token().tokenId());
        if (backend.http()) {
            assertFails(() -> asBob.listTokens(BOB, null), ErrorCode.UNAUTHENTICATED, "sign in");
        } else {
            assertThat(deployment().platform().access().authenticateToken(issued.secret())).isEmpty();
        }
        AccessService stillBob = signedInWith(own.secret(), BOB);
        assertThat(stillBob.listTokens(BOB, null)).filteredOn(token -> token.revokedAt() != null)
                .extracting(ApiToken::tokenId).containsExactly(issued.token().tokenId());
    }

    @Test
    void the_creator_of_a_model_grants_and_revokes_permissions_on_it() {
        deployment().as(MIKE.name()).registry().createRegisteredModel(MIKE, NewRegisteredModel.named("churn"));
        access(ADMIN).createUser(ADMIN, "carol", null, Role.MEMBER);
        AccessService mike = access(MIKE);
        Resource churn = Resource.model("churn");

        Grant granted = mike.grant(MIKE, churn, "carol", Permission.EDIT);

        assertThat(granted).isEqualTo(new Grant(churn, "carol", Permission.EDIT));
        assertThat(mike.grants(MIKE, churn)).isEqualTo(deployment().platform().access().grants(ADMIN, churn))
                .contains(new Grant(churn, "carol", Permission.EDIT), new Grant(churn, "mike", Permission.MANAGE));
        mike.revoke(MIKE, churn, "carol");
        assertThat(mike.grants(MIKE, churn)).extracting(Grant::userName).containsExactly("mike");
        assertFails(() -> mike.revoke(MIKE, churn, "carol"), ErrorCode.RESOURCE_DOES_NOT_EXIST, "carol");
        assertFails(() -> mike.grant(MIKE, churn, "nobody", Permission.READ), ErrorCode.RESOURCE_DOES_NOT_EXIST, "nobody");
    }

    @Test
    void what_only_an_admin_may_do_is_refused_to_a_member_with_the_reason() {
        AccessService mike = access(MIKE);

        assertFails(() -> mike.listUsers(MIKE), ErrorCode.PERMISSION_DENIED, "only an admin may list users");
        assertFails(() -> mike.createUser(MIKE, "eve", null, Role.ADMIN), ErrorCode.PERMISSION_DENIED, "only an admin");
        assertFails(() -> mike.createToken(MIKE, "admin", null, null), ErrorCode.PERMISSION_DENIED, "another user");
        assertFails(() -> mike.listTokens(MIKE, "admin"), ErrorCode.PERMISSION_DENIED, "another user");
        assertFails(() -> mike.grant(MIKE, Resource.model("not-mine"), "mike", Permission.MANAGE),
                ErrorCode.PERMISSION_DENIED, "needs MANAGE");
        assertThat(deployment().platform().access().user("eve")).isEmpty();
    }

    @Test
    void bad_values_are_refused_naming_the_field() {
        AccessService admin = access(ADMIN);

        assertFails(() -> admin.createUser(ADMIN, "a b", null, Role.MEMBER), ErrorCode.INVALID_PARAMETER_VALUE, "name");
        assertFails(() -> admin.createUser(ADMIN, "x".repeat(300), null, Role.MEMBER), ErrorCode.INVALID_PARAMETER_VALUE,
                "'name'");
        assertFails(() -> admin.createUser(ADMIN, "shorty", "short", Role.MEMBER), ErrorCode.INVALID_PARAMETER_VALUE,
                "'password'");
        assertFails(() -> admin.createToken(ADMIN, null, "old", 1L), ErrorCode.INVALID_PARAMETER_VALUE, "'expires_at'");
        assertFails(() -> admin.createToken(ADMIN, null, "d".repeat(300), null), ErrorCode.INVALID_PARAMETER_VALUE,
                "'description'");
        assertFails(() -> admin.revokeToken(ADMIN, "0000000000000000"), ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "0000000000000000");
        assertFails(() -> admin.grant(ADMIN, Resource.experiment("424242"), "no such user", Permission.READ),
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "no such user");
    }
}
