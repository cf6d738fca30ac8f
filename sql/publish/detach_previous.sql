DETACH prev;
