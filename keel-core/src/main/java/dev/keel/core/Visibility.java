package dev.keel.core;

import java.util.Set;

/**
 * Which resources of one kind an actor may read, in a form a search can put inside its SQL:
 * filtering a page after it was read would leave pages short and make paging lie.
 *
 * <p>The sets are of {@link Resource#id() resource ids} (experiment ids, registered model
 * names). They hold only the exceptions a user's grants make, never every resource, so their
 * size follows the grants one user has, not the size of the store.
 */
public sealed interface Visibility permits Visibility.All, Visibility.Only, Visibility.AllExcept {

    /** Every resource of the kind: authentication is off, the actor is an admin, or nothing lowers the default. */
    Visibility ALL = new All();

    /** Whether the resource with this id is visible. */
    boolean includes(String id);

    record All() implements Visibility {
        @Override
        public boolean includes(String id) {
            return true;
        }
    }

    /** Just these resources: the default permission does not let the actor read, these grants do. */
    record Only(Set<String> ids) implements Visibility {
        public Only {
            ids = Set.copyOf(ids);
        }

        @Override
        public boolean includes(String id) {
            return ids.contains(id);
        }
    }

    /** Every resource but these: the default lets the actor read, these grants take it away. */
    record AllExcept(Set<String> ids) implements Visibility {
        public AllExcept {
            ids = Set.copyOf(ids);
        }

        @Override
        public boolean includes(String id) {
            return !ids.contains(id);
        }
    }
}
