import factory
from django.contrib.auth.models import Group

from activering.models import Team, User

PASSWORD = "test-wachtwoord"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = "Team Activering Oost"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@activering.example")
    password = factory.django.Password(PASSWORD)
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        """`UserFactory(role=KLANTMANAGER)`: put the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
